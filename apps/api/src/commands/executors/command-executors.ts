import { Injectable } from '@nestjs/common';
import type { CommandExecutor } from './command-executor';
import { PingExecutor } from './ping.executor';

/** The executors by command type. Later features register theirs here. */
@Injectable()
export class CommandExecutors {
  private readonly byType = new Map<string, CommandExecutor>();

  constructor() {
    this.register(new PingExecutor());
  }

  register(executor: CommandExecutor): void {
    this.byType.set(executor.type, executor);
  }

  get(type: string): CommandExecutor | undefined {
    return this.byType.get(type);
  }

  hasTarget(type: string, target: string, environment: string): boolean {
    return this.byType.get(type)?.hasTarget(target, environment) ?? false;
  }
}
