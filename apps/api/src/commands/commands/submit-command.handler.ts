import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  can,
  commandStreamOf,
  denialReason,
  READ_ONLY_COMMANDS,
  type Action,
  type CommandAccepted,
  type CommandAcceptedData,
  type CommandRequest,
  type EventMeta,
  type SessionUser,
} from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { commandIdFor, requestHash } from '../command-identity';
import { InvalidParamsError } from '../executors/command-executor';
import { CommandExecutors } from '../executors/command-executors';
import { RunningCommands } from '../running-commands';
import { SubmitCommand } from './submit-command.command';

/** decide(): checks the target exists, then records `command.accepted`. */
@CommandHandler(SubmitCommand)
export class SubmitCommandHandler implements ICommandHandler<SubmitCommand> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(CommandExecutors) private readonly executors: CommandExecutors,
    @Inject(RunningCommands) private readonly running: RunningCommands,
  ) {}

  async execute({ request, meta, user, idempotencyKey }: SubmitCommand): Promise<CommandAccepted> {
    if (!this.config.environments.some((env) => env.name === request.environment)) {
      throw new NotFoundException({ message: `unknown environment "${request.environment}"` });
    }
    const action = this.actionOf(request);
    if (!can(user, action)) await this.deny(request, meta, user, action);
    if (!this.executors.hasTarget(request.type, request.target, request.environment)) {
      const what = request.type === 'cancel' ? 'running command' : 'target';
      throw new NotFoundException({ message: `unknown ${what} "${request.target}" in ${request.environment}` });
    }
    this.validate(request);
    const actorId = meta.actor?.id ?? 'anonymous';
    const commandId = commandIdFor(actorId, idempotencyKey);
    // One command per target at a time; read-only commands (logs, ping) never wait.
    const lock = READ_ONLY_COMMANDS.includes(request.type)
      ? 'already-held'
      : this.running.lock(request.environment, request.target, commandId);
    if (typeof lock === 'object') {
      throw new ConflictException({
        message: `${request.target} in ${request.environment} is busy with command ${lock.heldBy}`,
        details: { runningCommandId: lock.heldBy },
      });
    }
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
      const [accepted] = await this.store.append(commandStreamOf(commandId), 0, [{ type: 'command.accepted', data }], {
        ...meta,
        environment: request.environment,
      });
      return { commandId, position: accepted.position };
    } catch (error) {
      // Nothing was accepted by this request: free the target it took.
      if (lock === 'acquired') this.running.unlock(request.environment, request.target, commandId);
      if (error instanceof ConcurrencyError && idempotencyKey) return this.repeat(commandId, hash);
      throw error;
    }
  }

  /** What the role must allow. Cancelling a command needs the right to run that command's type on its target. */
  private actionOf(request: CommandRequest): Action {
    if (request.type === 'cancel') {
      const running = this.running.get(request.target);
      return {
        kind: 'command',
        type: running?.type ?? 'cancel',
        target: running?.target ?? request.target,
        environment: request.environment,
      };
    }
    return { kind: 'command', type: request.type, target: request.target, environment: request.environment };
  }

  /** Records the attempt (who, from where, what) as `command.denied`, then answers 403. */
  private async deny(request: CommandRequest, meta: EventMeta, user: SessionUser, action: Action): Promise<never> {
    const commandId = randomUUID();
    const reason = denialReason(user, action);
    await this.store.append(
      commandStreamOf(commandId),
      0,
      [
        {
          type: 'command.denied',
          data: { commandId, type: request.type, target: request.target, environment: request.environment, reason },
        },
      ],
      { ...meta, environment: request.environment },
    );
    throw new ForbiddenException({ message: reason, details: { commandId } });
  }

  private validate(request: CommandRequest): void {
    try {
      this.executors.get(request.type)?.validate?.(request);
    } catch (error) {
      if (error instanceof InvalidParamsError) {
        throw new BadRequestException({ message: error.message, details: [{ path: `body.${error.path}`, message: error.message }] });
      }
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
