import { alertRulesTimeline } from '../../alerts/alert-rule-set';
import { loadConfig } from '../../config/load-config';
import { readSettings } from '../../config/settings';
import { foldIncident, idSchema, incidentStreamOf } from '@vigil/shared';
import type { EventStore } from '../../event-store/event-store';
import { writeBundle, type BundleExtras } from '../../incident/bundle-writer';
import { logHead, openStreamsAt } from '../../incidents/log-reads';
import { CliFailure, noMoreArguments, optionValue, UsageError, type CliCommand } from '../cli-command';
import { openLogForReading } from '../open-log';
import { openReplaySource } from '../open-replay-source';
import { parseTimeArgument } from '../time-argument';

/**
 * Writes an incident bundle (IncidentBundleLine NDJSON) of one window to stdout:
 * header with counts, the dashboard snapshot at `from`, the alert rules in force
 * at `to` and at each moment of the window (the config's with the log's changes), then the window's
 * events and metric samples interleaved by time, exactly what GET /api/replay
 * plays for that window. Reads the server's files while it runs (WAL snapshots); errors go
 * to stderr so the redirected file holds only the bundle.
 */
export const exportCommand: CliCommand = {
  words: ['export'],
  synopsis: '(--from T --to T | --incident ID) [--environment ENV] > incident.ndjson',
  summary: "write an incident bundle of a window (ISO times, now, or -30m), or of an incident's window with its events, to stdout",
  async run(args) {
    const now = Date.now();
    const fromArg = optionValue(args, '--from');
    const toArg = optionValue(args, '--to');
    const environment = optionValue(args, '--environment');
    const incidentArg = optionValue(args, '--incident');
    noMoreArguments(args, 'export');
    if (incidentArg !== undefined) {
      if (fromArg !== undefined || toArg !== undefined)
        throw new UsageError('export --incident takes its window from the incident: no --from or --to');
      if (!idSchema.safeParse(incidentArg).success) throw new UsageError(`--incident "${incidentArg}" is not an incident id (a UUID)`);
    } else if (fromArg === undefined || toArg === undefined) throw new UsageError('export needs --from and --to, or --incident ID');
    const settings = readSettings();
    const config = loadConfig(settings.configPath, { required: settings.configRequired });
    if (environment !== undefined && !config.environments.some((env) => env.name === environment)) {
      throw new UsageError(`unknown environment "${environment}" (configured: ${config.environments.map((env) => env.name).join(', ')})`);
    }

    const store = await openLogForReading(settings.dataDir);
    try {
      const window: { from: Date; to: Date; incident?: BundleExtras['incident'] } =
        incidentArg === undefined ? windowOf(fromArg ?? '', toArg ?? '', now) : await incidentWindow(store, incidentArg, now);
      const { from, to } = window;
      const opened = await openReplaySource(store, settings, config);
      try {
        const alertRulesTimelineInWindow = await alertRulesTimeline(config.alerts.rules, store, from, to);
        const alertRules = alertRulesTimelineInWindow[alertRulesTimelineInWindow.length - 1].rules;
        const counts = await writeBundle(opened.source, { from, to, environment }, process.stdout, {
          alertRules,
          alertRulesTimeline: alertRulesTimelineInWindow,
          ...(window.incident ? { incident: window.incident } : {}),
        });
        process.stderr.write(
          `exported ${counts.events} events and ${counts.samples} samples from ${from.toISOString()} to ${to.toISOString()}\n`,
        );
        return 0;
      } finally {
        await opened.close();
      }
    } finally {
      await store.close();
    }
  },
};

/** The window of --from and --to; nothing after now exists yet, so it ends at the export at the latest. */
function windowOf(fromArg: string, toArg: string, now: number): { from: Date; to: Date } {
  const from = parseTimeArgument('--from', fromArg, now);
  const to = new Date(Math.min(parseTimeArgument('--to', toArg, now).getTime(), now));
  if (from.getTime() >= to.getTime())
    throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()}, or now if later)`);
  return { from, to };
}

/** An incident's window (to now while it is open) and what its bundle carries besides the window. */
async function incidentWindow(
  store: EventStore,
  incidentId: string,
  now: number,
): Promise<{ from: Date; to: Date; incident: NonNullable<BundleExtras['incident']> }> {
  const events = await store.readStream(incidentStreamOf(incidentId));
  const view = foldIncident(events);
  if (!view) throw new CliFailure(`the log has no incident ${incidentId}`);
  const from = new Date(view.from);
  const to = new Date(Math.min(view.to ? Date.parse(view.to) : now, now));
  if (from.getTime() >= to.getTime()) throw new CliFailure(`incident ${incidentId}'s window is empty (${view.from} – ${to.toISOString()})`);
  return { from, to, incident: { incidentId, events, openStreams: await openStreamsAt(store, from), head: await logHead(store) } };
}
