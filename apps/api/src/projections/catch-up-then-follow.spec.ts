import type { NewEvent, StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { catchUpThenFollow } from './catch-up-then-follow';

const ping = (n: number): NewEvent[] => [
  {
    type: 'command.accepted',
    data: { commandId: `c${n}`, type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'h' },
  },
];

describe('catchUpThenFollow', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-follow-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees every event once, in order, when some commit during and right after the read of the log', async () => {
    for (let n = 1; n <= 5; n++) await store.append(`command-c${n}`, 0, ping(n), { correlationId: `k${n}` });
    const seen: number[] = [];
    let folded = 0; // what the fold has reached: it skips what it has seen, as every fold here does
    const apply = (event: StoredEvent) => {
      if (event.position <= folded) return;
      folded = event.position;
      seen.push(event.position);
    };
    const subscription = await catchUpThenFollow(
      store,
      async () => {
        for await (const event of store.read(1)) {
          apply(event);
          // A commit while the log is being read: the read may see it too; it must count once.
          if (event.position === 2) await store.append('command-c6', 0, ping(6), { correlationId: 'k6' });
        }
        // A commit after the read has ended but before following starts: only the hold has it.
        await store.append('command-c7', 0, ping(7), { correlationId: 'k7' });
      },
      apply,
    );
    await store.append('command-c8', 0, ping(8), { correlationId: 'k8' });
    subscription.unsubscribe();
    await store.append('command-c9', 0, ping(9), { correlationId: 'k9' });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('stops listening when the catch-up fails, and says why', async () => {
    const followed: number[] = [];
    await expect(
      catchUpThenFollow(
        store,
        () => Promise.reject(new Error('log unreadable')),
        (event) => followed.push(event.position),
      ),
    ).rejects.toThrow('log unreadable');
    await store.append('command-c1', 0, ping(1), { correlationId: 'k1' });
    expect(followed).toEqual([]);
  });
});
