import { readSettings } from '../../config/settings';
import { noMoreArguments, type CliCommand } from '../cli-command';
import { openLogForReading } from '../open-log';

/**
 * Recomputes the hash chain of the event log, the same check as GET
 * /api/audit/verify (both call EventStore.verify). Exit 0 when intact, 1 with the
 * first bad position when not. Safe while the server runs (read only).
 */
export const verifyCommand: CliCommand = {
  words: ['verify'],
  synopsis: '',
  summary: "recompute the event log's hash chain; exit 1 naming the first bad position",
  async run(args) {
    noMoreArguments(args, 'verify');
    const store = await openLogForReading(readSettings().dataDir);
    try {
      const result = await store.verify();
      if (result.ok) {
        process.stdout.write(`ok: the hash chain of ${result.checked} events checks out (last position ${result.lastPosition})\n`);
        return 0;
      }
      process.stdout.write(
        `BROKEN at position ${result.firstBadPosition}: ${result.reason} (${result.checked} events before it check out; last position ${result.lastPosition})\n`,
      );
      return 1;
    } finally {
      await store.close();
    }
  },
};
