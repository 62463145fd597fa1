import type { CommandAcceptedData } from '@vigil/shared';
import type { ExecutionContext, ExecutionResult } from './command-executor';
import { ServiceCommandExecutor } from './service-executor.base';

/** stop: SIGTERM, the configured grace period, then SIGKILL; no automatic restart afterwards. */
export class StopExecutor extends ServiceCommandExecutor {
  readonly type = 'stop';

  timeoutMs(command: CommandAcceptedData): number {
    return this.startBudgetMs(command);
  }

  async run(context: ExecutionContext): Promise<ExecutionResult> {
    const { target, environment } = context.command;
    this.say(context, `stopping ${target} in ${environment}`);
    await this.supervisor.stop(environment, target, this.options(context));
    this.say(context, `${target} stopped`);
    return { exitCode: 0 };
  }
}
