import type { NewEvent, StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followCommitted } from './follow-committed';
import { SqliteEventStore } from './sqlite-event-store';

const accepted = (commandId: string): NewEvent => ({
  type: 'command.accepted',
  data: { commandId, type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'h' },
});
const started = (commandId: string): NewEvent => ({ type: 'command.started', data: { commandId } });

describe('followCommitted', () => {
  let dir: string;
  let store: SqliteEventStore;
  const errors: string[] = [];
  const logger = {
    error: (message: unknown) => {
      errors.push(String(message));
    },
  };

  beforeEach(async () => {
    errors.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'vigil-follow-committed-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands over only the asked types, once each, in position order, from the moment it subscribes', async () => {
    await store.append('command-a', 0, [accepted('a')], { correlationId: 'a' });
    const seen: StoredEvent<'command.accepted'>[] = [];
    const subscription = followCommitted(
      store,
      ['command.accepted'],
      (event) => {
        seen.push(event);
      },
      logger,
    );
    await Promise.all([
      store.append('command-b', 0, [accepted('b'), started('b')], { correlationId: 'b' }),
      store.append('command-c', 0, [accepted('c')], { correlationId: 'c' }),
    ]);
    subscription.unsubscribe();
    await store.append('command-d', 0, [accepted('d')], { correlationId: 'd' });

    expect(seen.map((event) => event.data.commandId)).toEqual(['b', 'c']);
    expect(seen[0].position).toBeLessThan(seen[1].position);
    expect(errors).toEqual([]);
  });

  it('calls the reaction synchronously, before the append resolves to its caller', async () => {
    const order: string[] = [];
    const subscription = followCommitted(
      store,
      ['command.accepted'],
      () => {
        order.push('reacted');
      },
      logger,
    );
    await store.append('command-a', 0, [accepted('a')], { correlationId: 'a' });
    order.push('append resolved');
    subscription.unsubscribe();
    expect(order).toEqual(['reacted', 'append resolved']);
  });

  it('logs a reaction that throws or rejects, and keeps following', async () => {
    const seen: string[] = [];
    const subscription = followCommitted(
      store,
      ['command.accepted'],
      (event) => {
        seen.push(event.data.commandId);
        if (event.data.commandId === 'a') throw new Error('thrown');
        if (event.data.commandId === 'b') return Promise.reject(new Error('rejected'));
        return undefined;
      },
      logger,
    );
    await store.append('command-a', 0, [accepted('a')], { correlationId: 'a' });
    await store.append('command-b', 0, [accepted('b')], { correlationId: 'b' });
    await store.append('command-c', 0, [accepted('c')], { correlationId: 'c' });
    await new Promise((resolve) => setImmediate(resolve));
    subscription.unsubscribe();

    expect(seen).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([
      expect.stringMatching(/^reacting to command.accepted at position 1 failed: thrown$/),
      expect.stringMatching(/^reacting to command.accepted at position 2 failed: rejected$/),
    ]);
  });
});
