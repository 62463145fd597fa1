import { Injectable } from '@nestjs/common';
import type { CommandAcceptedData, CommandRequest } from '@vigil/shared';

/**
 * Where a command runs. On one node every command runs in this process. The cluster
 * (a service's `host` names a node; host-less services belong to the leader) and the
 * agents (a service declared by an agent runs there) decide here, and nowhere else,
 * which process claims an accepted command and when its owner cannot take one.
 */
@Injectable()
export class CommandPlacement {
  /** Whether this process claims (appends `command.started` for) the accepted command. */
  runsHere(_command: CommandAcceptedData): boolean {
    return true;
  }

  /** Why the owner of the request's target cannot take it now (e.g. "node b is not alive"); answered 503 and recorded. */
  unavailableReason(_request: CommandRequest): string | undefined {
    return undefined;
  }
}
