import type { CommandAcceptedData, EventType, ReplayMarker, StoredEvent } from '@vigil/shared';

/** The event types that become timeline markers. */
export const MARKER_TYPES = [
  'alert.raised',
  'alert.resolved',
  'command.accepted',
  'command.approval-requested',
  'command.approved',
  'command.rejected',
  'command.expired',
  'command.completed',
  'command.failed',
  'service.deployed',
] as const satisfies readonly EventType[];

/** What a command marker says about its command: "restart web-server@staging". */
export function commandLabel(accepted: Pick<CommandAcceptedData, 'type' | 'target' | 'environment'>): string {
  return `${accepted.type} ${accepted.target}@${accepted.environment}`;
}

/**
 * The marker of one event, or undefined if it is none. Completed and failed
 * commands are labelled from their `command.accepted` (found by `acceptedOf`).
 */
export function markerOf(event: StoredEvent, acceptedOf: (commandId: string) => CommandAcceptedData | undefined): ReplayMarker | undefined {
  const at = { time: event.time, position: event.position, environment: event.meta.environment };
  switch (event.type) {
    case 'alert.raised': {
      const data = event.data;
      return {
        ...at,
        kind: 'alert',
        label: `alert.raised ${data.rule.name} (${data.severity})`,
        ref: data.alertId,
        environment: data.environment ?? at.environment,
      };
    }
    case 'alert.resolved': {
      const data = event.data;
      return { ...at, kind: 'alert', label: `alert.resolved ${data.rule}`, ref: data.alertId };
    }
    case 'command.accepted': {
      const data = event.data;
      return { ...at, kind: 'command', label: `${commandLabel(data)} accepted`, ref: data.commandId, environment: data.environment };
    }
    case 'command.approval-requested': {
      const data = event.data;
      const label = `${commandLabel(data)} awaits approval (${event.meta.actor?.username ?? 'anonymous'})`;
      return { ...at, kind: 'command', label, ref: data.commandId, environment: data.environment };
    }
    case 'command.approved': {
      const data = event.data;
      return {
        ...at,
        kind: 'command',
        label: `${commandLabel(data)} approved by ${data.by}`,
        ref: data.commandId,
        environment: data.environment,
      };
    }
    case 'command.rejected':
    case 'command.expired':
    case 'command.completed':
    case 'command.failed': {
      const commandId = (event.data as { commandId: string }).commandId;
      const accepted = acceptedOf(commandId);
      const outcome = event.type.slice('command.'.length);
      const label = accepted ? `${commandLabel(accepted)} ${outcome}` : `command ${outcome}`;
      return { ...at, kind: 'command', label, ref: commandId, environment: accepted?.environment ?? at.environment };
    }
    case 'service.deployed': {
      const data = event.data as { service: string; environment: string; version?: string; commandId?: string };
      const version = data.version ? ` ${data.version}` : '';
      return {
        ...at,
        kind: 'deploy',
        label: `deploy ${data.service}@${data.environment}${version}`,
        ref: data.commandId ?? event.stream,
        environment: data.environment,
      };
    }
    default:
      return undefined;
  }
}
