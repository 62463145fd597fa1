import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '../../event-store/event-store';
import { Supervisor } from '../../supervisor/supervisor.service';
import { RunningCommands } from '../running-commands';
import { CancelExecutor } from './cancel.executor';
import type { CommandExecutor } from './command-executor';
import { DeployExecutor } from './deploy.executor';
import { LogsExecutor } from './logs.executor';
import { PingExecutor } from './ping.executor';
import { RestartExecutor } from './restart.executor';
import { ScaleExecutor } from './scale.executor';
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
  ) {
    for (const executor of [
      new PingExecutor(),
      new StartExecutor(supervisor),
      new StopExecutor(supervisor),
      new RestartExecutor(supervisor),
      new LogsExecutor(supervisor),
      new ScaleExecutor(supervisor),
      new DeployExecutor(supervisor, store),
      new CancelExecutor(running),
    ]) {
      this.byType.set(executor.type, executor);
    }
  }

  get(type: string): CommandExecutor | undefined {
    return this.byType.get(type);
  }

  hasTarget(type: string, target: string, environment: string): boolean {
    return this.byType.get(type)?.hasTarget(target, environment) ?? false;
  }
}
