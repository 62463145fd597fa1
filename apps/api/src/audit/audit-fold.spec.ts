import type { EventMeta, StoredEvent } from '@vigil/shared';
import type { AuditEntry } from '@vigil/shared';
import { auditCommandIdOf, evolveAudit } from './audit-fold';

const meta: EventMeta = {
  actor: { id: 'u-1', username: 'alice', roles: ['operator'] },
  ip: '10.0.0.7',
  environment: 'staging',
  correlationId: 'c-1',
};

let position = 0;
function event(type: string, data: Record<string, unknown>, eventMeta: EventMeta = meta): StoredEvent {
  position += 1;
  return {
    position,
    stream: `command-${String(data.commandId)}`,
    version: 1,
    type,
    data,
    meta: eventMeta,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    hash: 'h'.repeat(64),
  } as StoredEvent;
}

function accepted(commandId = 'cmd-1'): StoredEvent {
  return event('command.accepted', {
    commandId,
    type: 'restart',
    target: 'web',
    environment: 'staging',
    params: { instances: 2 },
    requestHash: 'x',
  });
}

function fold(events: StoredEvent[]): AuditEntry | undefined {
  return events.reduce<AuditEntry | undefined>((entry, next) => evolveAudit(entry, next), undefined);
}

describe('audit fold (evolveAudit)', () => {
  beforeEach(() => {
    position = 0;
  });

  it('opens a pending entry on command.accepted with actor, ip, params and position', () => {
    const first = accepted();
    expect(evolveAudit(undefined, first)).toEqual({
      commandId: 'cmd-1',
      acceptedPosition: 1,
      acceptedAt: first.time,
      actor: 'alice',
      actorId: 'u-1',
      ip: '10.0.0.7',
      type: 'restart',
      target: 'web',
      environment: 'staging',
      params: { instances: 2 },
      outcome: 'pending',
      reason: null,
      exitCode: null,
      durationMs: null,
      finishedAt: null,
      lastPosition: 1,
    });
  });

  it('records a denied attempt as a finished entry with its reason', () => {
    const denied = event('command.denied', {
      commandId: 'cmd-d',
      type: 'deploy',
      target: 'api',
      environment: 'production',
      reason: 'role viewer may not deploy',
    });
    expect(evolveAudit(undefined, denied)).toMatchObject({
      commandId: 'cmd-d',
      type: 'deploy',
      target: 'api',
      environment: 'production',
      params: {},
      outcome: 'denied',
      reason: 'role viewer may not deploy',
      finishedAt: denied.time,
      acceptedAt: denied.time,
      acceptedPosition: 1,
      lastPosition: 1,
    });
  });

  it('keeps null actor and ip when the event has none', () => {
    const entry = evolveAudit(
      undefined,
      event(
        'command.accepted',
        { commandId: 'c', type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'x' },
        { correlationId: 'c' },
      ),
    );
    expect(entry).toMatchObject({ actor: null, actorId: null, ip: null });
  });

  it('goes running on command.started', () => {
    expect(fold([accepted(), event('command.started', { commandId: 'cmd-1' })])).toMatchObject({ outcome: 'running', lastPosition: 2 });
  });

  it('ends completed with exit code and duration', () => {
    const events = [accepted(), event('command.started', { commandId: 'cmd-1' })];
    const done = event('command.completed', { commandId: 'cmd-1', durationMs: 12, exitCode: 0, result: { ok: true } });
    const entry = fold([...events, done]);
    expect(entry).toMatchObject({
      outcome: 'completed',
      exitCode: 0,
      durationMs: 12,
      finishedAt: done.time,
      reason: null,
      lastPosition: 3,
    });
  });

  it('ends failed with reason, exit code and duration', () => {
    const entry = fold([
      accepted(),
      event('command.started', { commandId: 'cmd-1' }),
      event('command.failed', { commandId: 'cmd-1', durationMs: 40, reason: 'exit 3', exitCode: 3 }),
    ]);
    expect(entry).toMatchObject({ outcome: 'failed', reason: 'exit 3', exitCode: 3, durationMs: 40 });
  });

  it('ends cancelled with reason and duration', () => {
    const entry = fold([
      accepted(),
      event('command.started', { commandId: 'cmd-1' }),
      event('command.cancelled', { commandId: 'cmd-1', durationMs: 5, reason: 'cancelled by bob', by: 'bob' }),
    ]);
    expect(entry).toMatchObject({ outcome: 'cancelled', reason: 'cancelled by bob', durationMs: 5, exitCode: null });
  });

  it('ends interrupted with its reason', () => {
    const first = accepted();
    const last = event(
      'command.interrupted',
      { commandId: 'cmd-1', reason: 'Vigil restarted' },
      { ...meta, actor: { id: 'system', username: 'system', roles: [] } },
    );
    const entry = fold([first, last]);
    // The actor stays who asked for the command, not the system that closed it.
    expect(entry).toMatchObject({ outcome: 'interrupted', reason: 'Vigil restarted', finishedAt: last.time, actor: 'alice' });
  });

  it('returns the same object for events that do not change the entry (output, progress, other streams)', () => {
    const entry = fold([accepted(), event('command.started', { commandId: 'cmd-1' })])!;
    expect(evolveAudit(entry, event('command.output', { commandId: 'cmd-1', seq: 0, lines: [] }))).toBe(entry);
    expect(evolveAudit(entry, event('command.progress', { commandId: 'cmd-1', percent: 50, step: 'half' }))).toBe(entry);
    expect(evolveAudit(entry, event('alert.raised', { alertId: 'a', rule: 'r' }))).toBe(entry);
  });

  it('ignores lifecycle events of a command it has no entry for', () => {
    expect(evolveAudit(undefined, event('command.started', { commandId: 'ghost' }))).toBeUndefined();
    expect(evolveAudit(undefined, event('command.completed', { commandId: 'ghost', durationMs: 1 }))).toBeUndefined();
    expect(evolveAudit(undefined, event('service.started', { service: 'web', environment: 'staging' }))).toBeUndefined();
  });

  it('is idempotent: an event at or below lastPosition changes nothing', () => {
    const first = accepted();
    const started = event('command.started', { commandId: 'cmd-1' });
    const entry = fold([first, started])!;
    expect(evolveAudit(entry, started)).toBe(entry);
    expect(evolveAudit(entry, first)).toBe(entry);
  });

  it('never mutates the entry it is given', () => {
    const entry = fold([accepted()])!;
    const copy = structuredClone(entry);
    evolveAudit(entry, event('command.failed', { commandId: 'cmd-1', durationMs: 1, reason: 'x' }));
    expect(entry).toEqual(copy);
  });

  it('knows which events belong to a command', () => {
    expect(auditCommandIdOf(accepted('abc'))).toBe('abc');
    expect(auditCommandIdOf(event('command.output', { commandId: 'abc', seq: 0, lines: [] }))).toBeUndefined();
    expect(auditCommandIdOf(event('user.created', { username: 'x' }))).toBeUndefined();
  });
});
