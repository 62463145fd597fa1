import {
  can,
  denialReason,
  READ_ONLY_COMMANDS,
  type Action,
  type ApiErrorBody,
  type CommandAcceptedData,
  type CommandApprovalRequestedData,
  type CommandDeniedData,
  type CommandRequest,
  type SessionUser,
} from '@vigil/shared';
import { requestHash } from './command-identity';

/** Someone asks to run a command. The ids come from outside so deciding stays pure. */
export interface SubmitAttempt {
  request: CommandRequest;
  /** Who asks: their role decides. */
  user: SessionUser;
  /** The id the command gets if accepted (derived from the Idempotency-Key when there is one). */
  commandId: string;
  /** A fresh id for a `command.denied` stream: never the key's, which a later allowed repeat still needs. */
  deniedId: string;
  idempotencyKey?: string;
}

/** What the handler knows at the moment of deciding: a plain snapshot, no services. */
export interface SubmitState {
  /** Names of the configured environments. */
  environments: readonly string[];
  /** The target exists in the request's environment (for cancel: that command runs there). */
  targetKnown: boolean;
  /** For cancel: the running command the target names, in whichever environment. */
  cancelling?: { type: string; target: string };
  /** The target's own limits broken by these params (e.g. scale above maxInstances). */
  paramsProblem?: { path: string; message: string };
  /** The command that holds the request's target now, if any. */
  lockHolder?: string;
  /** Why the node or agent that owns the target cannot take the command now (it is offline). */
  ownerUnavailable?: string;
  /** The approval rule the request matches: who may approve, and when the request expires. */
  approval?: { approvers: string[]; expiresAt: string };
  /** The enrolled host whose agent runs the target (role grants may be limited to hosts). */
  targetHost?: string;
}

/** An HTTP error answer, before the handler throws it. */
export interface SubmitRejection {
  status: 400 | 404 | 409;
  message: string;
  details?: ApiErrorBody['details'];
}

export type SubmitDecision =
  /** Append `command.accepted`; take the target's lock first when `takesLock`. */
  | { accept: CommandAcceptedData; takesLock: boolean }
  /** Append `command.approval-requested` (202); it holds no lock until it is approved. */
  | { awaitApproval: CommandApprovalRequestedData }
  /** Append `command.denied`, then answer 403 (not allowed) or 503 (the target's owner is offline). */
  | { deny: CommandDeniedData; status: 403 | 503 }
  /** Answer with the error; nothing is written. */
  | { reject: SubmitRejection };

/** What the role must allow. Cancelling a command needs the right to run that command's type on its target. */
function actionOf(request: CommandRequest, cancelling: SubmitState['cancelling'], host: string | undefined): Action {
  const on = host === undefined ? {} : { host };
  if (request.type === 'cancel') {
    return {
      kind: 'command',
      type: cancelling?.type ?? 'cancel',
      target: cancelling?.target ?? request.target,
      environment: request.environment,
      ...on,
    };
  }
  return { kind: 'command', type: request.type, target: request.target, environment: request.environment, ...on };
}

/**
 * decide(command, state) → events, for POST /api/commands. The checks run in this
 * order, and the first that fails answers: the environment exists (404), the role
 * allows it (403, recorded as `command.denied`), the target exists (404), its owner
 * (a node or an agent) is alive (503, recorded as `command.denied`), the params
 * fit the target (400); then a command matching an approval rule awaits approval
 * (the target's lock is checked when it is approved, not now); else the target is
 * free (409; read-only commands never wait, and a repeat of the command holding it passes).
 */
export function decideSubmit(attempt: SubmitAttempt, state: SubmitState): SubmitDecision {
  const { request, user, commandId } = attempt;
  const { type, target, environment } = request;
  if (!state.environments.includes(environment)) {
    return { reject: { status: 404, message: `unknown environment "${environment}"` } };
  }
  const action = actionOf(request, state.cancelling, state.targetHost);
  if (!can(user, action)) {
    return { deny: { commandId: attempt.deniedId, type, target, environment, reason: denialReason(user, action) }, status: 403 };
  }
  if (!state.targetKnown) {
    const what = type === 'cancel' ? 'running command' : 'target';
    return { reject: { status: 404, message: `unknown ${what} "${target}" in ${environment}` } };
  }
  if (state.ownerUnavailable !== undefined) {
    return { deny: { commandId: attempt.deniedId, type, target, environment, reason: state.ownerUnavailable }, status: 503 };
  }
  if (state.paramsProblem) {
    const { path, message } = state.paramsProblem;
    return { reject: { status: 400, message, details: [{ path: `body.${path}`, message }] } };
  }
  const accept: CommandAcceptedData = {
    commandId,
    type,
    target,
    environment,
    params: request.params,
    requestHash: requestHash(request),
    ...(attempt.idempotencyKey ? { idempotencyKey: attempt.idempotencyKey } : {}),
  };
  if (state.approval) return { awaitApproval: { ...accept, ...state.approval } };
  const readOnly = READ_ONLY_COMMANDS.includes(type);
  if (!readOnly && state.lockHolder !== undefined && state.lockHolder !== commandId) {
    return {
      reject: {
        status: 409,
        message: `${target} in ${environment} is busy with command ${state.lockHolder}`,
        details: { runningCommandId: state.lockHolder },
      },
    };
  }
  return { accept, takesLock: !readOnly && state.lockHolder === undefined };
}
