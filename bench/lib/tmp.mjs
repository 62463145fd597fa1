// Temporary directories under os.tmpdir(), removed when the benchmark ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set();

export function makeTempDir(prefix = 'vigil-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

/** Last resort: remove whatever is left if the process exits early. */
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
