import { incidentDurationMs, type IncidentTimeline, type TimelineRow } from '@vigil/shared';

/** Markdown table cells: one line, no pipe breaking the row. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** UTC, to the second, as a postmortem reads it: 2026-12-03 13:05:09Z. */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

function minutes(ms: number): string {
  const total = Math.round(ms / 60_000);
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`;
}

function rowLine(row: TimelineRow): string {
  const what = `${row.summary}${row.pinned ? ` — pinned: ${row.pinned.join('; ')}` : ''}`;
  return `| ${utc(row.at)} | ${row.position} | ${row.kind} | ${cell(what)} | ${cell(row.actor ?? '')} | ${cell(row.outcome ?? '')} |`;
}

/**
 * A postmortem draft for an incident: summary fields, the timeline (UTC, each row
 * with its log position), notes, commands, alerts, and a closing line naming the
 * chain head so a reader can check the log it cites has not changed.
 */
export function renderPostmortem(timeline: IncidentTimeline, now: number): string {
  const { incident, rows, watching, head } = timeline;
  const out: string[] = [];
  out.push(`# Postmortem: ${incident.title}`, '');
  out.push(
    `- **Incident:** ${incident.incidentId}`,
    `- **Severity:** ${incident.severity}`,
    `- **Status:** ${incident.status}`,
    `- **Commander:** ${incident.commander ?? '—'}`,
    `- **Window:** ${utc(incident.from)} – ${incident.to ? utc(incident.to) : 'open'} (${minutes(incidentDurationMs(incident, now))})`,
    `- **Opened by:** ${incident.openedBy} at ${utc(incident.openedAt)}`,
    ...(incident.resolvedAt ? [`- **Resolved:** ${utc(incident.resolvedAt)}`] : []),
    `- **Watching:** ${[...new Set(watching.map((w) => w.username))].join(', ') || '—'}`,
    '',
    '## Summary',
    '',
    '_What happened, the impact, and why (to be written)._',
    '',
    '## Timeline',
    '',
    '| time (UTC) | log position | kind | what | who | outcome |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const row of rows) out.push(rowLine(row));
  out.push('', '## Notes', '');
  if (incident.notes.length === 0) out.push('None.');
  for (const note of incident.notes) {
    const amends = note.amends ? ` (amends ${note.amends})` : '';
    const amended = note.amendedBy.length > 0 ? ` (amended by ${note.amendedBy.join(', ')})` : '';
    out.push(`- ${utc(note.at)} — ${note.by}${amends}${amended} [note ${note.noteId}, log position ${note.position}]: ${cell(note.text)}`);
  }
  out.push('', '## Commands run', '');
  const commands = rows.filter((row) => row.type === 'command.accepted' || row.type === 'command.denied');
  if (commands.length === 0) out.push('None.');
  for (const row of commands)
    out.push(
      `- ${utc(row.at)} — ${row.actor ?? '?'}: ${cell(row.summary)} → ${row.outcome ?? 'not finished in the window'} (log position ${row.position})`,
    );
  out.push('', '## Alerts', '');
  const alerts = rows.filter((row) => row.type === 'alert.raised' || row.type === 'alert.resolved');
  if (alerts.length === 0) out.push('None.');
  for (const row of alerts) out.push(`- ${utc(row.at)} — ${cell(row.summary)} (log position ${row.position})`);
  out.push(
    '',
    '---',
    '',
    `Chain head when this was written: position ${head.position}, sha256 \`${head.hash}\`. ` +
      `Verify: \`npm run vigil -- verify --position ${head.position}\` on the server's data dir re-hashes the whole chain and prints the hash at that position, which must be this one (or \`GET /api/audit/verify\`).`,
    '',
  );
  return out.join('\n');
}
