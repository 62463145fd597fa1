import { SqliteAuditStore } from '../../audit/sqlite-audit-store';
import { serverHolding } from '../../common/server-lock';
import { loadConfig } from '../../config/load-config';
import { projectionsFile, readSettings } from '../../config/settings';
import { catchUpAudit, catchUpCheckpoints, foldInMemory, type ProjectionDigest } from '../../rebuild/projection-digests';
import { SqliteCheckpointStore } from '../../dashboard/sqlite-checkpoint-store';
import { overallDigest } from '../../projections/state-digest';
import { CliFailure, noMoreArguments, type CliCommand } from '../cli-command';
import { openLogForReading } from '../open-log';
import { printTable } from '../print-table';

function byName(digests: readonly ProjectionDigest[]): Record<string, string> {
  return Object.fromEntries(digests.map((entry) => [entry.name, entry.digest]));
}

/**
 * Drops every read model and refolds the log, printing each projection's digest
 * before and after (they match when the stored read models were a true fold).
 * The persisted ones (projections.db) are caught up first, so "before" is what
 * the server would serve; the in-memory ones are folded as the server folds them
 * at start, then again from the whole log.
 */
export const rebuildCommand: CliCommand = {
  words: ['rebuild'],
  synopsis: '',
  summary: 'drop every read model, refold the log, print digests before and after (server stopped)',
  async run(args) {
    noMoreArguments(args, 'rebuild');
    const settings = readSettings();
    const holder = serverHolding(settings.dataDir);
    if (holder) {
      throw new CliFailure(
        `a Vigil server (pid ${holder.pid}, started ${holder.startedAt}) holds ${settings.dataDir}: stop it first. ` +
          'Emptying projections.db under it would leave its audit projection writing from a checkpoint that no longer exists.',
      );
    }
    const config = loadConfig(settings.configPath, { required: settings.configRequired });
    const store = await openLogForReading(settings.dataDir);
    const every = config.replay.checkpointEvery;
    let audit: SqliteAuditStore | undefined;
    let checkpoints: SqliteCheckpointStore | undefined;
    try {
      audit = await SqliteAuditStore.open({ file: projectionsFile(settings) });
      checkpoints = await SqliteCheckpointStore.open({ file: projectionsFile(settings) });
      const before = [
        await catchUpAudit(store, audit),
        await catchUpCheckpoints(store, checkpoints, every, false),
        ...(await foldInMemory(store, config.alerts.rules, 'start-up')),
      ];
      await audit.reset();
      const after = [
        await catchUpAudit(store, audit),
        await catchUpCheckpoints(store, checkpoints, every, true),
        ...(await foldInMemory(store, config.alerts.rules, 'full-log')),
      ];

      const beforeAll = overallDigest(byName(before));
      const afterAll = overallDigest(byName(after));
      process.stdout.write(`rebuilt every read model from ${store.position} events in ${settings.dataDir}\n`);
      const rows = before.map((entry, i) => [
        entry.name,
        entry.kind,
        entry.digest,
        after[i].digest,
        entry.digest === after[i].digest ? 'same' : 'DIFFERS',
      ]);
      rows.push(['overall', '', beforeAll, afterAll, beforeAll === afterAll ? 'same' : 'DIFFERS']);
      printTable(['PROJECTION', 'KIND', 'BEFORE (sha256)', 'AFTER (sha256)', ''], rows);
      if (beforeAll !== afterAll) {
        process.stdout.write('The read models marked DIFFERS did not match a fold of the log; they now hold the refolded state.\n');
      }
      return 0;
    } finally {
      await audit?.close();
      await checkpoints?.close();
      await store.close();
    }
  },
};
