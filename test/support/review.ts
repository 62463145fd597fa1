import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { CLI, cliEnv } from './cli';
import { eventually } from './http';

export interface ReviewServer {
  baseUrl: string;
  process: ChildProcess;
  output(): string;
}

/** `vigil review FILE --port 0`, until it prints where it listens. */
export async function startReview(file: string, env: Record<string, string> = {}): Promise<ReviewServer> {
  const child = spawn(process.execPath, [CLI, 'review', file, '--port', '0'], {
    env: cliEnv(tmpdir(), { VIGIL_HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await eventually('the review server to listen', () => /listening on http:\/\/\S+?:(\d+)/.exec(output)?.[1], 20_000);
  return { baseUrl: `http://127.0.0.1:${port}`, process: child, output: () => output };
}

/** SIGTERM, then the exit code (null if it was never started). */
export async function stopReview(review: ReviewServer | undefined): Promise<number | null> {
  if (!review) return null;
  if (review.process.exitCode !== null) return review.process.exitCode;
  const exited = new Promise<number | null>((resolve) =>
    review.process.once('exit', (code) => {
      resolve(code);
    }),
  );
  review.process.kill('SIGTERM');
  return exited;
}
