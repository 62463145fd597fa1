import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `<data>/server.pid`: which server process holds the data dir. */
export const SERVER_LOCK_FILE = 'server.pid';

export interface ServerLock {
  pid: number;
  startedAt: string;
}

function lockPath(dataDir: string): string {
  return join(dataDir, SERVER_LOCK_FILE);
}

/** The process still runs and is a Vigil server (guards against a reused PID after kill -9). */
function isVigilServer(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs under another user; still a live holder.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no /proc: trust the PID
  try {
    return readFileSync(cmdline, 'utf8').includes('main.js');
  } catch {
    return false;
  }
}

/** Records this process as the server of `dataDir`; the returned function releases it (only if still ours). */
export function claimServerLock(dataDir: string): () => void {
  const lock: ServerLock = { pid: process.pid, startedAt: new Date().toISOString() };
  writeFileSync(lockPath(dataDir), `${JSON.stringify(lock)}\n`, { mode: 0o600 });
  return () => {
    if (serverHolding(dataDir)?.pid === process.pid) rmSync(lockPath(dataDir), { force: true });
  };
}

/** The live server holding `dataDir`, if any. A lock left by a killed server is ignored. */
export function serverHolding(dataDir: string): ServerLock | undefined {
  let lock: ServerLock;
  try {
    lock = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as ServerLock;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(lock.pid) || lock.pid <= 0) return undefined;
  return isVigilServer(lock.pid) ? lock : undefined;
}
