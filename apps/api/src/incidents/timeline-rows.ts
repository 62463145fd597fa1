import { COMMAND_TERMINAL_TYPES, type CommandAcceptedData, type StoredEvent, type TimelineRow } from '@vigil/shared';

/**
 * Which log events an incident's timeline shows, and how one reads as a row.
 * Command output and progress, user events and successful deliveries stay out
 * (they are in the log and the replay); notes and pins come from the incident.
 */

const TERMINAL: ReadonlySet<string> = new Set(COMMAND_TERMINAL_TYPES);

/** Whether the event is a row of `incidentId`'s timeline (its own notes and pins are placed separately). */
export function isTimelineEvent(event: Pick<StoredEvent, 'type' | 'data'>, incidentId: string): boolean {
  const { type } = event;
  if (type.startsWith('incident.')) {
    if (type === 'incident.noted' || type === 'incident.pinned') return false;
    return (event.data as { incidentId?: string }).incidentId === incidentId;
  }
  if (type === 'command.accepted' || type === 'command.denied' || TERMINAL.has(type)) return true;
  if (type.startsWith('command.approval-')) return true;
  if (type === 'notification.failed') return (event.data as { final?: boolean }).final === true;
  return (
    type.startsWith('alert.') ||
    type.startsWith('service.') ||
    type.startsWith('host.') ||
    type.startsWith('stream.') ||
    type === 'alert-rule.changed' ||
    type === 'notification.escalated' ||
    type === 'maintenance.marked'
  );
}

function kindOf(type: string): TimelineRow['kind'] {
  if (type === 'service.deployed') return 'deploy';
  if (type === 'alert.silenced') return 'silence';
  if (type === 'alert-rule.changed') return 'rule';
  if (type.startsWith('command.approval-')) return 'approval';
  if (type.startsWith('command.')) return 'command';
  if (type.startsWith('service.')) return 'service';
  if (type.startsWith('host.')) return 'host';
  if (type.startsWith('stream.')) return 'watch';
  if (type.startsWith('notification.')) return 'notification';
  if (type.startsWith('incident.')) return 'incident';
  if (type === 'maintenance.marked') return 'maintenance';
  return 'alert';
}

type Data = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function commandLabel(accepted: CommandAcceptedData | undefined, commandId: string): string {
  return accepted ? `${accepted.type} ${accepted.target}@${accepted.environment}` : `command ${commandId.slice(0, 8)}`;
}

function summaryOf(event: StoredEvent, accepted: CommandAcceptedData | undefined): string {
  const d = event.data as Data;
  switch (event.type) {
    case 'command.accepted':
    case 'command.denied':
      return `${str(d.type)} ${str(d.target)}@${str(d.environment)}${event.type === 'command.denied' ? ` denied: ${str(d.reason)}` : ''}`;
    case 'alert.raised':
      return `${str((d.rule as Data).name)} fired on ${str(d.source)}: ${str(d.message)}`;
    case 'alert.resolved':
      return `${str(d.rule)} resolved${d.reason ? ` (${str(d.reason)})` : ''}`;
    case 'alert.acknowledged':
      return `acknowledged by ${str(d.by)}${d.comment ? `: ${str(d.comment)}` : ''}`;
    case 'alert.silenced':
      return `silenced until ${str(d.until)} by ${str(d.by)}: ${str(d.reason)}`;
    case 'alert.inhibited':
      return `inhibited by alert ${str(d.byAlertId).slice(0, 8)} (${str(d.inhibition)})`;
    case 'alert.ack-expired':
      return `acknowledgement by ${str(d.by)} expired while firing`;
    case 'alert-rule.changed':
      return `alert rule ${str(d.name)} ${str(d.change)}`;
    case 'notification.escalated':
      return `escalated to ${(d.targets as string[]).join(', ')} after ${str(d.afterMinutes)} min`;
    case 'notification.failed':
      return `notification to ${str(d.target)} failed for good: ${str(d.error)}`;
    case 'stream.opened':
      return `${str(d.username)} opened a live stream`;
    case 'stream.closed':
      return `${str(d.username)} closed a live stream`;
    case 'maintenance.marked':
      return `maintenance ${str(d.from)} – ${str(d.to)}: ${str(d.reason)}`;
    case 'incident.opened':
      return `incident opened: ${str(d.title)} (${str(d.severity)})`;
    default:
      break;
  }
  if (TERMINAL.has(event.type)) return `${commandLabel(accepted, str(d.commandId))} ${event.type.slice('command.'.length)}`;
  if (event.type.startsWith('service.')) {
    const instance = d.instance === undefined ? '' : `#${str(d.instance)}`;
    const version = event.type === 'service.deployed' && d.version ? ` version ${str(d.version)}` : '';
    return `${str(d.service)}${instance}@${str(d.environment)} ${event.type.slice('service.'.length)}${version}`;
  }
  if (event.type.startsWith('incident.')) {
    const value = Object.entries(d).find(([key]) => key !== 'incidentId' && key !== 'by');
    return `${event.type.slice('incident.'.length)}: ${value ? str(value[1]) || 'none' : ''}`;
  }
  return event.type;
}

/** Labels rows of one pass over the window: remembers accepted commands so outcomes name them. */
export class RowLabeller {
  private readonly accepted = new Map<string, { data: CommandAcceptedData; actor?: string; row?: TimelineRow }>();

  row(event: StoredEvent): TimelineRow {
    const commandId = (event.data as { commandId?: string }).commandId;
    const known = commandId ? this.accepted.get(commandId) : undefined;
    const actor = event.meta.actor?.username ?? known?.actor;
    const row: TimelineRow = {
      position: event.position,
      at: event.time,
      type: event.type,
      kind: kindOf(event.type),
      summary: summaryOf(event, known?.data),
      ...(actor ? { actor } : {}),
      ...(event.meta.environment ? { environment: event.meta.environment } : {}),
    };
    if (event.type === 'command.accepted') this.accepted.set(event.data.commandId, { data: event.data, actor, row });
    if (event.type === 'command.denied') row.outcome = 'denied';
    if (TERMINAL.has(event.type)) {
      const outcome = event.type.slice('command.'.length);
      row.outcome = outcome;
      // The row where it was asked for says how it ended, too.
      if (known?.row) known.row.outcome = outcome;
    }
    return row;
  }
}
