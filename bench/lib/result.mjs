// The one line run-all.mjs collects from each benchmark's stdout.
export const RESULT_PREFIX = 'BENCH_RESULT ';

/**
 * rows: [{ benchmark, result, unit, baseline?, ratio?, target, met, ... }]
 * `result`/`baseline` are numbers in `unit`; `target` is a human-readable string.
 */
export function printResult(name, rows, details = {}) {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ name, rows, details })}\n`);
}

export function log(...parts) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${parts.join(' ')}\n`);
}
