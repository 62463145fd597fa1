import type { CommandAcceptedData, CommandRequest } from '@vigil/shared';
import type { EventStore } from '../../event-store/event-store';
import type { ServiceTargets } from './service-executor.base';
import type { Supervisor } from '../../supervisor/supervisor.service';
import { InvalidParamsError, type ExecutionContext, type ExecutionResult } from './command-executor';
import { ServiceCommandExecutor } from './service-executor.base';

/**
 * deploy: runs the service's deploy step with its output and progress streamed
 * (0–60 %), then a rolling restart (60–100 %), then records `service.deployed`.
 */
export class DeployExecutor extends ServiceCommandExecutor {
  readonly type = 'deploy';

  constructor(
    supervisor: Supervisor,
    private readonly store: Pick<EventStore, 'append'>,
    targets?: ServiceTargets,
  ) {
    super(supervisor, targets);
  }

  timeoutMs(command: CommandAcceptedData): number {
    const config = this.targets.config(command.environment, command.target);
    return (config?.deploy?.timeoutSeconds ?? 300) * 1000 + this.startBudgetMs(command) * 2;
  }

  validate(request: CommandRequest): void {
    if (request.type !== 'deploy') return;
    if (!this.targets.config(request.environment, request.target)?.deploy) {
      throw new InvalidParamsError('target', `${request.target} has no deploy step configured`);
    }
  }

  async run(context: ExecutionContext): Promise<ExecutionResult> {
    const { target, environment, commandId } = context.command;
    const version = String(context.command.params.version);
    const previousVersion = this.supervisor.currentVersion(environment, target);
    const options = this.options(context);
    context.progress(0, `deploying ${version}`);
    await this.supervisor.runDeployStep(environment, target, version, {
      ...options,
      progress: (percent, step) => {
        context.progress(Math.round(Math.min(100, Math.max(0, percent)) * 0.6), step);
      },
    });
    context.progress(60, 'rolling restart');
    await this.supervisor.restart(environment, target, {
      ...options,
      progress: (percent, step) => {
        context.progress(60 + Math.round(Math.min(100, Math.max(0, percent)) * 0.4), step);
      },
    });
    await this.store.append(
      `service-${target}@${environment}`,
      'any',
      [{ type: 'service.deployed', data: { service: target, environment, version, previousVersion, commandId } }],
      context.meta,
    );
    context.progress(100, `${version} is live`);
    return { exitCode: 0, result: { version, previousVersion } };
  }
}
