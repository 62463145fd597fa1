import { readSettings } from '../../config/settings';
import { noMoreArguments, optionValue, UsageError, type CliCommand } from '../cli-command';
import { openLogForReading } from '../open-log';

/**
 * Recomputes the hash chain of the event log, the same check as GET
 * /api/audit/verify (both call EventStore.verify). Exit 0 when intact, 1 with the
 * first bad position when not. Safe while the server runs (read only).
 */
export const verifyCommand: CliCommand = {
  words: ['verify'],
  synopsis: '[--position N]',
  summary: "recompute the event log's hash chain; exit 1 naming the first bad position",
  async run(args) {
    const positionArg = optionValue(args, '--position');
    noMoreArguments(args, 'verify');
    const position = positionArg === undefined ? undefined : Number(positionArg);
    if (position !== undefined && !(Number.isInteger(position) && position >= 1))
      throw new UsageError(`--position "${positionArg}" is not a log position (1 or more)`);
    const store = await openLogForReading(readSettings().dataDir);
    try {
      const result = await store.verify();
      if (result.ok) {
        process.stdout.write(`ok: the hash chain of ${result.checked} events checks out (last position ${result.lastPosition})\n`);
        if (position === undefined) return 0;
        // A postmortem cites the chain head it was written at: print that position's hash to compare.
        for await (const event of store.read(position, { toPosition: position })) {
          process.stdout.write(`position ${position}: sha256 ${event.hash}\n`);
          return 0;
        }
        process.stdout.write(`the log has no position ${position}\n`);
        return 1;
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
