import { ConflictException, Inject, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandStreamOf, type CommandAccepted, type CommandAcceptedData } from '@vigil/shared';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { commandIdFor, requestHash } from '../command-identity';
import { CommandExecutors } from '../executors/command-executors';
import { SubmitCommand } from './submit-command.command';

/** decide(): checks the target exists, then records `command.accepted`. */
@CommandHandler(SubmitCommand)
export class SubmitCommandHandler implements ICommandHandler<SubmitCommand> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(CommandExecutors) private readonly executors: CommandExecutors,
  ) {}

  async execute({ request, meta, idempotencyKey }: SubmitCommand): Promise<CommandAccepted> {
    if (!this.config.environments.some((env) => env.name === request.environment)) {
      throw new NotFoundException({ message: `unknown environment "${request.environment}"` });
    }
    if (!this.executors.hasTarget(request.type, request.target, request.environment)) {
      throw new NotFoundException({ message: `unknown target "${request.target}" in ${request.environment}` });
    }
    const actorId = meta.actor?.id ?? 'anonymous';
    const commandId = commandIdFor(actorId, idempotencyKey);
    const hash = requestHash(request);
    const data: CommandAcceptedData = {
      commandId,
      type: request.type,
      target: request.target,
      environment: request.environment,
      params: request.params,
      requestHash: hash,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    try {
      const [accepted] = await this.store.append(
        commandStreamOf(commandId),
        0,
        [{ type: 'command.accepted', data }],
        { ...meta, environment: request.environment },
      );
      return { commandId, position: accepted.position };
    } catch (error) {
      if (error instanceof ConcurrencyError && idempotencyKey) return this.repeat(commandId, hash);
      throw error;
    }
  }

  /** A repeated Idempotency-Key: the same command, if the request is the same. */
  private async repeat(commandId: string, hash: string): Promise<CommandAccepted> {
    const [first] = await this.store.readStream(commandStreamOf(commandId));
    if (!first || first.type !== 'command.accepted') {
      throw new ConflictException({ message: `command ${commandId} is in an unexpected state` });
    }
    if (first.data.requestHash !== hash) {
      throw new UnprocessableEntityException({
        message: 'Idempotency-Key was already used with a different request',
        details: { commandId },
      });
    }
    return { commandId, position: first.position };
  }
}
