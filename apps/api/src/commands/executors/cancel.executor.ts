import type { RunningCommands } from '../running-commands';
import type { CommandExecutor, ExecutionContext, ExecutionResult } from './command-executor';

/** cancel: aborts a running command; that command then ends as `command.cancelled`. */
export class CancelExecutor implements CommandExecutor {
  readonly type = 'cancel';

  constructor(private readonly running: RunningCommands) {}

  timeoutMs(): number {
    return 10_000;
  }

  /** The target is a command id: it exists as a target while that command runs. */
  hasTarget(target: string, environment: string): boolean {
    return this.running.get(target)?.environment === environment;
  }

  run(context: ExecutionContext): Promise<ExecutionResult> {
    const { target } = context.command;
    const by = context.meta.actor?.username;
    const reason = typeof context.command.params.reason === 'string' ? context.command.params.reason : `cancelled by ${by ?? 'unknown'}`;
    const aborted = this.running.abort(target, { kind: 'cancelled', reason, by });
    if (!aborted) return Promise.reject(new Error(`command ${target} is no longer running`));
    context.output([{ stream: 'stdout', text: `cancel signal sent to ${target}` }]);
    return Promise.resolve({ exitCode: 0, result: { cancelled: target } });
  }
}
