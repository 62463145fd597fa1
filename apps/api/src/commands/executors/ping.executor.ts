import type { CommandExecutor, ExecutionContext, ExecutionResult } from './command-executor';

/** `ping` on target `vigil`: proves the write path end to end without touching a service. */
export class PingExecutor implements CommandExecutor {
  readonly type = 'ping';

  timeoutMs(): number {
    return 10_000;
  }

  hasTarget(target: string): boolean {
    return target === 'vigil';
  }

  run(context: ExecutionContext): Promise<ExecutionResult> {
    context.output([{ stream: 'stdout', text: 'pong' }]);
    return Promise.resolve({ exitCode: 0, result: { pong: true, serverTime: new Date().toISOString() } });
  }
}
