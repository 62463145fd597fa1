import type { CommandAcceptedData, CommandRequest } from '@vigil/shared';
import { InvalidParamsError, type ExecutionContext, type ExecutionResult } from './command-executor';
import { ServiceCommandExecutor } from './service-executor.base';

/** scale: to N instances, within the service's maxInstances. */
export class ScaleExecutor extends ServiceCommandExecutor {
  readonly type = 'scale';

  timeoutMs(command: CommandAcceptedData): number {
    return this.startBudgetMs(command);
  }

  validate(request: CommandRequest): void {
    if (request.type !== 'scale') return;
    const config = this.targets.config(request.environment, request.target);
    if (config && request.params.instances > config.maxInstances) {
      throw new InvalidParamsError('params.instances', `${request.target} allows at most ${config.maxInstances} instances`);
    }
    if (config && request.params.instances > 0 && !config.ports && request.params.instances > 1) {
      // Without a port range every instance would fight for the same port.
      throw new InvalidParamsError('params.instances', `${request.target} has no ports range, so it runs one instance at most`);
    }
  }

  async run(context: ExecutionContext): Promise<ExecutionResult> {
    const { target, environment } = context.command;
    const instances = Number(context.command.params.instances);
    this.say(context, `scaling ${target} in ${environment} to ${instances}`);
    const { from, to } = await this.supervisor.scale(environment, target, instances, this.options(context));
    this.say(context, `${target}: ${from} → ${to} instance(s)`);
    return { exitCode: 0, result: { from, to } };
  }
}
