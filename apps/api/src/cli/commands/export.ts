import { alertRulesTimeline } from '../../alerts/alert-rule-set';
import { loadConfig } from '../../config/load-config';
import { readSettings } from '../../config/settings';
import { writeBundle } from '../../incident/bundle-writer';
import { noMoreArguments, optionValue, UsageError, type CliCommand } from '../cli-command';
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
  synopsis: '--from T --to T [--environment ENV] > incident.ndjson',
  summary: 'write an incident bundle of a window (ISO times, now, or -30m) to stdout',
  async run(args) {
    const now = Date.now();
    const fromArg = optionValue(args, '--from');
    const toArg = optionValue(args, '--to');
    const environment = optionValue(args, '--environment');
    noMoreArguments(args, 'export');
    if (fromArg === undefined || toArg === undefined) throw new UsageError('export needs --from and --to');
    const from = parseTimeArgument('--from', fromArg, now);
    // Nothing after now exists yet: the bundle's window ends at the export at the latest.
    const to = new Date(Math.min(parseTimeArgument('--to', toArg, now).getTime(), now));
    if (from.getTime() >= to.getTime())
      throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()}, or now if later)`);
    const settings = readSettings();
    const config = loadConfig(settings.configPath, { required: settings.configRequired });
    if (environment !== undefined && !config.environments.some((env) => env.name === environment)) {
      throw new UsageError(`unknown environment "${environment}" (configured: ${config.environments.map((env) => env.name).join(', ')})`);
    }

    const store = await openLogForReading(settings.dataDir);
    try {
      const opened = await openReplaySource(store, settings, config);
      try {
        const alertRulesTimelineInWindow = await alertRulesTimeline(config.alerts.rules, store, from, to);
        const alertRules = alertRulesTimelineInWindow[alertRulesTimelineInWindow.length - 1].rules;
        const counts = await writeBundle(opened.source, { from, to, environment }, process.stdout, {
          alertRules,
          alertRulesTimeline: alertRulesTimelineInWindow,
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
