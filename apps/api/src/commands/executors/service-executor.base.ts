import type { CommandAcceptedData } from '@vigil/shared';
import type { ServiceConfig } from '../../config/vigil-config.schema';
import type { Supervisor } from '../../supervisor/supervisor.service';
import type { RunOptions } from '../../supervisor/supervisor.types';
import type { CommandExecutor, ExecutionContext, ExecutionResult } from './command-executor';

/** Which services exist and their config: this process's supervisor, plus (on the server) the agents' declared ones. */
export interface ServiceTargets {
  has(environment: string, service: string): boolean;
  config(environment: string, service: string): ServiceConfig | undefined;
}

/** Shared by the commands that act on a supervised service (target = service name). */
export abstract class ServiceCommandExecutor implements CommandExecutor {
  abstract readonly type: string;
  protected readonly targets: ServiceTargets;

  constructor(
    protected readonly supervisor: Supervisor,
    targets?: ServiceTargets,
  ) {
    this.targets = targets ?? supervisor;
  }

  hasTarget(target: string, environment: string): boolean {
    return this.targets.has(environment, target);
  }

  abstract timeoutMs(command: CommandAcceptedData): number;
  abstract run(context: ExecutionContext): Promise<ExecutionResult>;

  /** How long starting one instance may take, from the service's config. */
  protected startBudgetMs(command: CommandAcceptedData): number {
    const config = this.targets.config(command.environment, command.target);
    const perInstance = ((config?.startTimeoutSeconds ?? 20) + (config?.stopGraceSeconds ?? 5)) * 1000;
    return perInstance * Math.max(1, config?.maxInstances ?? 1) + 5_000;
  }

  protected options(context: ExecutionContext): RunOptions {
    return {
      signal: context.signal,
      output: (lines) => {
        context.output(lines);
      },
      progress: (percent, step) => {
        context.progress(percent, step);
      },
      correlationId: context.meta.correlationId,
      causationId: context.meta.causationId,
    };
  }

  protected say(context: ExecutionContext, text: string): void {
    context.output([{ stream: 'stdout', text }]);
  }
}
