import type { DashboardState, SnapshotMessage, StoredEvent } from '@vigil/shared';

const TIME = '2026-01-01T12:00:00.000Z';

export function accepted(position: number, commandId: string): StoredEvent<'command.accepted'> {
  return {
    position,
    stream: `command-${commandId}`,
    version: 1,
    type: 'command.accepted',
    data: { commandId, type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'h' },
    meta: { environment: 'staging', correlationId: `c-${commandId}` },
    time: TIME,
    hash: `hash-${position}`,
  };
}

export function started(position: number, commandId: string): StoredEvent<'command.started'> {
  return {
    position,
    stream: `command-${commandId}`,
    version: 2,
    type: 'command.started',
    data: { commandId },
    meta: { environment: 'staging', correlationId: `c-${commandId}` },
    time: TIME,
    hash: `hash-${position}`,
  };
}

export function completed(position: number, commandId: string): StoredEvent<'command.completed'> {
  return {
    position,
    stream: `command-${commandId}`,
    version: 3,
    type: 'command.completed',
    data: { commandId, durationMs: 5, exitCode: 0 },
    meta: { environment: 'staging', correlationId: `c-${commandId}` },
    time: TIME,
    hash: `hash-${position}`,
  };
}

export function snapshot(state: DashboardState): SnapshotMessage {
  return { type: 'snapshot', position: state.position, state };
}
