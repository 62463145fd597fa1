import { ConflictException, HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { can, commandStreamOf, foldCommand, type CommandAccepted, type EventMeta, type SessionUser } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { RunningCommands } from '../running-commands';
import { decideApproval, type ApprovalVerb } from './decide-approval';
import { PendingApprovals } from './pending-approvals';

/**
 * POST /api/commands/:id/approve and /reject: gathers what decideApproval needs,
 * lets it decide, and records the decision at the version right after the request,
 * so an approval, a rejection and the expiry can never both be recorded.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PendingApprovals) private readonly pending: PendingApprovals,
    @Inject(RunningCommands) private readonly running: RunningCommands,
  ) {}

  async decide(
    verb: ApprovalVerb,
    commandId: string,
    user: SessionUser,
    comment: string | undefined,
    meta: EventMeta,
  ): Promise<CommandAccepted> {
    const requested = this.pending.get(commandId);
    if (!requested) return this.notPending(commandId, user);
    const { environment, target } = requested.data;
    if (!can(user, { kind: 'view', environment })) throw new NotFoundException({ message: `no command ${commandId}` });
    const decision = decideApproval(
      { verb, user, comment, deniedId: randomUUID(), now: Date.now() },
      { requested: requested.data, requester: requested.meta.actor, lockHolder: this.running.holder(environment, target) },
    );
    const streamMeta: EventMeta = { ...meta, environment, causationId: String(requested.position) };
    if ('conflict' in decision) throw new ConflictException({ message: decision.conflict, details: { commandId } });
    if ('deny' in decision) {
      const denied = decision.deny;
      await this.store.append(commandStreamOf(denied.commandId), 0, [{ type: 'command.denied', data: denied }], streamMeta);
      throw new HttpException({ message: denied.reason, details: { commandId: denied.commandId } }, HttpStatus.FORBIDDEN);
    }
    const takesLock = 'approve' in decision && decision.takesLock;
    if (takesLock) this.running.lock(environment, target, commandId);
    try {
      const event =
        'approve' in decision
          ? { type: 'command.approved' as const, data: decision.approve }
          : { type: 'command.rejected' as const, data: decision.reject };
      const [stored] = await this.store.append(commandStreamOf(commandId), requested.version, [event], streamMeta);
      return { commandId, position: stored.position };
    } catch (error) {
      if (takesLock) this.running.unlock(environment, target, commandId);
      if (error instanceof ConcurrencyError)
        throw new ConflictException({ message: `command ${commandId} is no longer awaiting approval`, details: { commandId } });
      throw error;
    }
  }

  /** 404 for an unknown (or invisible) command, 409 for one that is not awaiting approval. */
  private async notPending(commandId: string, user: SessionUser): Promise<never> {
    const view = foldCommand(await this.store.readStream(commandStreamOf(commandId)));
    if (!view || !can(user, { kind: 'view', environment: view.environment }))
      throw new NotFoundException({ message: `no command ${commandId}` });
    throw new ConflictException({ message: `command ${commandId} is not awaiting approval (it is ${view.state})`, details: { commandId } });
  }
}
