/**
 * Runs one step of npm test as a child process. Steps that run side by side get a
 * label: each line they print is prefixed with it, so their output stays readable.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;

/** Resolves to the exit code (1 when killed by a signal or when it cannot start) and the seconds it took. */
export function runStep(command, args, { label, env } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: env ?? process.env,
      stdio: label ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (label) {
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ]) {
        createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`[${label}] ${line}\n`));
      }
    }
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
    });
    child.on('close', (code) => {
      resolve({ status: code === null || code < 0 ? 1 : code, seconds: (performance.now() - started) / 1000 });
    });
  });
}
