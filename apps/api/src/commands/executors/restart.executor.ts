import type { CommandAcceptedData } from '@vigil/shared';
import type { ExecutionContext, ExecutionResult } from './command-executor';
import { ServiceCommandExecutor } from './service-executor.base';

/** restart: instance by instance — stop, spawn, wait healthy — so the service never goes fully down. */
export class RestartExecutor extends ServiceCommandExecutor {
  readonly type = 'restart';

  timeoutMs(command: CommandAcceptedData): number {
    return this.startBudgetMs(command) * 2;
  }

  async run(context: ExecutionContext): Promise<ExecutionResult> {
    const { target, environment } = context.command;
    const before = this.pids(environment, target);
    this.say(context, `restarting ${target} in ${environment} (pid ${before.join(', ') || 'none'})`);
    await this.supervisor.restart(environment, target, this.options(context));
    const after = this.pids(environment, target);
    this.say(context, `${target} restarted (pid ${after.join(', ')})`);
    return { exitCode: 0, result: { previousPids: before, pids: after } };
  }

  private pids(environment: string, target: string): number[] {
    const status = this.supervisor.status(environment).find((service) => service.service === target);
    return (status?.instances ?? []).map((instance) => instance.pid).filter((pid): pid is number => pid !== null);
  }
}
