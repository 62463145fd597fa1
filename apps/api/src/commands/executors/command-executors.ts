import { Inject, Injectable } from '@nestjs/common';
import type { CommandRequest } from '@vigil/shared';
import { EventStore } from '../../event-store/event-store';
import { HostsRegistry } from '../../hosts/hosts-registry';
import { Supervisor } from '../../supervisor/supervisor.service';
import { RunningCommands } from '../running-commands';
import { CancelExecutor } from './cancel.executor';
import type { CommandExecutor } from './command-executor';
import { DeployExecutor } from './deploy.executor';
import { LogsExecutor } from './logs.executor';
import { PingExecutor } from './ping.executor';
import { RestartExecutor } from './restart.executor';
import { ScaleExecutor } from './scale.executor';
import type { ServiceTargets } from './service-executor.base';
import { StartExecutor } from './start.executor';
import { StopExecutor } from './stop.executor';

/** The executors by command type. */
@Injectable()
export class CommandExecutors {
  private readonly byType = new Map<string, CommandExecutor>();

  constructor(
    @Inject(Supervisor) supervisor: Supervisor,
    @Inject(EventStore) store: EventStore,
    @Inject(RunningCommands) running: RunningCommands,
    @Inject(HostsRegistry) hosts: HostsRegistry,
  ) {
    // Targets are this process's services and the ones agents declared (those run on their agent).
    const targets: ServiceTargets = {
      has: (environment, service) => supervisor.has(environment, service) || hosts.hostOfService(environment, service) !== undefined,
      config: (environment, service) => supervisor.config(environment, service) ?? hosts.configOf(environment, service),
    };
    for (const executor of [
      new PingExecutor(),
      new StartExecutor(supervisor, targets),
      new StopExecutor(supervisor, targets),
      new RestartExecutor(supervisor, targets),
      new LogsExecutor(supervisor, targets),
      new ScaleExecutor(supervisor, targets),
      new DeployExecutor(supervisor, store, targets),
      new CancelExecutor(running),
    ]) {
      this.byType.set(executor.type, executor);
    }
  }

  get(type: string): CommandExecutor | undefined {
    return this.byType.get(type);
  }

  /** decide-time checks of the request's params against its target (throws InvalidParamsError). */
  validate(request: CommandRequest): void {
    this.byType.get(request.type)?.validate?.(request);
  }

  hasTarget(type: string, target: string, environment: string): boolean {
    return this.byType.get(type)?.hasTarget(target, environment) ?? false;
  }
}
