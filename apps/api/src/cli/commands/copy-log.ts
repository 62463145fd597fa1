import { existsSync } from 'node:fs';
import { serverHolding } from '../../common/server-lock';
import { readSettings } from '../../config/settings';
import { DatabaseSettingsError, readDatabaseSettings, redactedUrl } from '../../database/database-settings';
import { PostgresEventStore } from '../../event-store/postgres-event-store';
import { copySqliteLogToPostgres, TargetNotEmptyError } from '../../event-store/postgres-log-copy';
import { SqliteEventStore } from '../../event-store/sqlite-event-store';
import { CliFailure, noMoreArguments, optionValue, UsageError, type CliCommand } from '../cli-command';
import { eventLogFile } from '../open-log';

/**
 * Moves a single node up to PostgreSQL: copies the SQLite event log of
 * VIGIL_DATA_DIR (users, commands, rules and audit all live in it) into an empty
 * PostgreSQL database, verifying the chain before (SQLite) and after
 * (PostgreSQL). Read models are not copied: a server on PostgreSQL folds them
 * from the log at start.
 */
export const copyLogCommand: CliCommand = {
  words: ['copy-log'],
  synopsis: '--to postgres://USER:PASSWORD@HOST:PORT/DATABASE',
  summary: 'copy the SQLite event log into an empty PostgreSQL database, verifying both (server stopped)',
  async run(args) {
    const to = optionValue(args, '--to');
    noMoreArguments(args, 'copy-log');
    if (to === undefined) throw new UsageError('copy-log needs --to postgres://…');
    let target;
    try {
      // The pool and timeout settings of the environment apply; the URL is the one given.
      target = readDatabaseSettings({ ...process.env, VIGIL_DATABASE_URL: to });
    } catch (error) {
      if (error instanceof DatabaseSettingsError) throw new UsageError(error.message.replace('VIGIL_DATABASE_URL', '--to'));
      throw error;
    }
    if (target.kind !== 'postgres') throw new UsageError('copy-log needs --to postgres://…');

    const { dataDir } = readSettings();
    const file = eventLogFile(dataDir);
    if (!existsSync(file)) throw new CliFailure(`no event log at ${file} (set VIGIL_DATA_DIR to the server's data dir)`);
    const holder = serverHolding(dataDir);
    if (holder) {
      throw new CliFailure(
        `a Vigil server (pid ${holder.pid}) holds ${dataDir}: stop it first, or events it appends after the copy would be left behind`,
      );
    }

    const source = await SqliteEventStore.open({ file });
    let before;
    try {
      before = await source.verify();
    } finally {
      await source.close();
    }
    if (!before.ok) {
      throw new CliFailure(`the SQLite log is BROKEN at position ${before.firstBadPosition}: ${before.reason}; nothing copied`);
    }

    let copied;
    try {
      copied = await copySqliteLogToPostgres(file, target);
    } catch (error) {
      if (error instanceof TargetNotEmptyError) throw new CliFailure(error.message);
      throw error;
    }

    const copy = await PostgresEventStore.open({ settings: { ...target, poolSize: 2 } });
    let after;
    try {
      after = await copy.verify();
    } finally {
      await copy.close();
    }
    if (!after.ok || after.checked !== before.checked) {
      throw new CliFailure(
        `the copy in PostgreSQL does not verify: ${after.reason ?? `${after.checked} events instead of ${before.checked}`}`,
      );
    }
    process.stdout.write(
      `copied ${copied.events} events (positions 1 to ${after.lastPosition}) from ${file} to ${redactedUrl(target.url)}\n` +
        `ok: the hash chain checks out on both sides (last hash ${copied.lastHash || 'none: empty log'})\n` +
        `next: start the server with VIGIL_DATABASE_URL set to that database\n`,
    );
    return 0;
  },
};
