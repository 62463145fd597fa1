import type { CommandAcceptedData } from '@vigil/shared';
import type { ExecutionContext, ExecutionResult } from './command-executor';
import { ServiceCommandExecutor } from './service-executor.base';

/** logs: the last N lines over all instances; with follow, new lines for up to followSeconds. */
export class LogsExecutor extends ServiceCommandExecutor {
  readonly type = 'logs';

  timeoutMs(command: CommandAcceptedData): number {
    return (Number(command.params.followSeconds ?? 30) + 10) * 1000;
  }

  async run(context: ExecutionContext): Promise<ExecutionResult> {
    const { target, environment, params } = context.command;
    const lines = this.supervisor.logs(environment, target, Number(params.lines ?? 100));
    context.output(lines.map((line) => ({ stream: line.stream, text: `[${line.instance}] ${line.text}` })));
    if (params.follow !== true) return { exitCode: 0, result: { lines: lines.length } };

    let followed = 0;
    await new Promise<void>((resolve) => {
      const stop = this.supervisor.followLogs(environment, target, (line) => {
        followed += 1;
        context.output([{ stream: line.stream, text: `[${line.instance}] ${line.text}` }]);
      });
      const done = (): void => {
        clearTimeout(timer);
        stop();
        resolve();
      };
      const timer = setTimeout(done, Number(params.followSeconds ?? 30) * 1000);
      context.signal.addEventListener('abort', done, { once: true });
    });
    if (context.signal.aborted) throw context.signal.reason;
    return { exitCode: 0, result: { lines: lines.length, followed } };
  }
}
