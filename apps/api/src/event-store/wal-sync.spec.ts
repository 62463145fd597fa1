import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalSync } from './wal-sync';

describe('WalSync', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
    file = join(dir, 'events.db-wal');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles in commit order, after the fsync, and lets commits made meanwhile share the next one', async () => {
    const sync = new WalSync(file);
    const order: string[] = [];
    writeFileSync(file, 'a');
    sync.afterSync(() => order.push('first'));
    // Not settled in the caller's turn: the fsync runs on the thread pool.
    expect(order).toEqual([]);
    sync.afterSync(() => order.push('second'));
    sync.afterSync(() => order.push('third'));
    await sync.drained();
    expect(order).toEqual(['first', 'second', 'third']);
    sync.close();
  });

  it('settles everything waiting with the error when the fsync fails, and refuses every later commit', async () => {
    const sync = new WalSync(file);
    sync.close(); // a closed descriptor: fsync fails with EBADF
    const errors: (Error | undefined)[] = [];
    sync.afterSync((error) => errors.push(error));
    sync.afterSync((error) => errors.push(error));
    await sync.drained();
    expect(errors).toHaveLength(2);
    expect(errors.every((error) => error?.message.startsWith('fsync of the event log failed'))).toBe(true);
    sync.afterSync((error) => errors.push(error));
    expect(errors).toHaveLength(3);
    expect(errors[2]).toBe(errors[0]);
  });
});
