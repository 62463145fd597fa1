import { ConflictException, HttpException, HttpStatus, Inject, UnprocessableEntityException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandStreamOf, type CommandAccepted, type CommandRequest } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { InvalidParamsError } from '../executors/command-executor';
import { CommandExecutors } from '../executors/command-executors';
import { CommandPlacement } from '../placement/command-placement';
import { RunningCommands } from '../running-commands';
import { approvalFor, approvalRuleFor } from '../approve/approval-rules';
import { commandIdFor } from './command-identity';
import { decideSubmit, type SubmitState } from './decide-submit';
import { SubmitCommand } from './submit-command.command';

/**
 * POST /api/commands after validation: gathers what decideSubmit needs, lets it
 * decide, and records the decision. Gathering, deciding and taking the target's
 * lock happen in one synchronous turn, so two requests cannot both take it.
 */
@CommandHandler(SubmitCommand)
export class SubmitCommandHandler implements ICommandHandler<SubmitCommand> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(CommandExecutors) private readonly executors: CommandExecutors,
    @Inject(RunningCommands) private readonly running: RunningCommands,
    @Inject(CommandPlacement) private readonly placement: CommandPlacement,
  ) {}

  async execute({ request, meta, user, idempotencyKey }: SubmitCommand): Promise<CommandAccepted> {
    const commandId = commandIdFor(meta.actor?.id ?? 'anonymous', idempotencyKey);
    const decision = decideSubmit({ request, user, commandId, deniedId: randomUUID(), idempotencyKey }, this.stateFor(request));
    const streamMeta = { ...meta, environment: request.environment };

    if ('reject' in decision) {
      const { status, message, details } = decision.reject;
      throw new HttpException(details ? { message, details } : { message }, status);
    }
    if ('deny' in decision) {
      // The attempt (who, from where, what) is recorded before the 403.
      const denied = decision.deny;
      await this.store.append(commandStreamOf(denied.commandId), 0, [{ type: 'command.denied', data: denied }], streamMeta);
      const status = decision.status === 503 ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.FORBIDDEN;
      throw new HttpException({ message: denied.reason, details: { commandId: denied.commandId } }, status);
    }

    if ('awaitApproval' in decision) {
      const requested = decision.awaitApproval;
      try {
        const stream = commandStreamOf(commandId);
        const [stored] = await this.store.append(stream, 0, [{ type: 'command.approval-requested', data: requested }], streamMeta);
        return { commandId, position: stored.position };
      } catch (error) {
        if (error instanceof ConcurrencyError && idempotencyKey) return this.repeat(commandId, requested.requestHash);
        throw error;
      }
    }

    const { accept, takesLock } = decision;
    if (takesLock) this.running.lock(request.environment, request.target, commandId);
    try {
      const [accepted] = await this.store.append(commandStreamOf(commandId), 0, [{ type: 'command.accepted', data: accept }], streamMeta);
      return { commandId, position: accepted.position };
    } catch (error) {
      // Nothing was accepted by this request: free the target it took.
      if (takesLock) this.running.unlock(request.environment, request.target, commandId);
      if (error instanceof ConcurrencyError && idempotencyKey) return this.repeat(commandId, accept.requestHash);
      throw error;
    }
  }

  /** The snapshot decideSubmit decides on: config, executors and what runs now. */
  private stateFor(request: CommandRequest): SubmitState {
    return {
      environments: this.config.environments.map((env) => env.name),
      targetKnown: this.executors.hasTarget(request.type, request.target, request.environment),
      cancelling: request.type === 'cancel' ? this.running.get(request.target) : undefined,
      paramsProblem: this.paramsProblemOf(request),
      lockHolder: this.running.holder(request.environment, request.target),
      ownerUnavailable: this.placement.unavailableReason(request),
      approval: approvalFor(approvalRuleFor(this.config.approvals, request), Date.now()),
      targetHost: this.placement.targetHost(request),
    };
  }

  /** The executor's own limits for the target (e.g. scale within maxInstances). */
  private paramsProblemOf(request: CommandRequest): SubmitState['paramsProblem'] {
    try {
      this.executors.validate(request);
      return undefined;
    } catch (error) {
      if (error instanceof InvalidParamsError) return { path: error.path, message: error.message };
      throw error;
    }
  }

  /** A repeated Idempotency-Key: the same command, if the request is the same. */
  private async repeat(commandId: string, hash: string): Promise<CommandAccepted> {
    const first = (await this.store.readStream(commandStreamOf(commandId))).at(0);
    if (first?.type !== 'command.accepted' && first?.type !== 'command.approval-requested') {
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
