import type { CommandAcceptedData } from '@vigil/shared';
import type { ExecutionContext, ExecutionResult } from './command-executor';
import { ServiceCommandExecutor } from './service-executor.base';

/** start: brings the service's instances up and waits until they answer their health check. */
export class StartExecutor extends ServiceCommandExecutor {
  readonly type = 'start';

  timeoutMs(command: CommandAcceptedData): number {
    return this.startBudgetMs(command);
  }

  async run(context: ExecutionContext): Promise<ExecutionResult> {
    const { target, environment } = context.command;
    this.say(context, `starting ${target} in ${environment}`);
    await this.supervisor.start(environment, target, this.options(context));
    const status = this.supervisor.status(environment).find((service) => service.service === target);
    const pids = status?.instances.map((instance) => instance.pid).filter((pid) => pid !== null) ?? [];
    this.say(context, `${target} is up (pid ${pids.join(', ')})`);
    return { exitCode: 0, result: { pids } };
  }
}
