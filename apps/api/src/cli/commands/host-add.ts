import { enrolHostSchema, hostStreamOf, type EventMeta } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { readSettings } from '../../config/settings';
import { ConcurrencyError } from '../../event-store/event-store';
import { generateHostToken, hashHostToken } from '../../hosts/host-token';
import { CliFailure, UsageError, type CliCommand } from '../cli-command';
import { openLogForWriting } from '../open-log';

/** Takes every `--label key=value`. */
function labelsOf(args: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let index = args.indexOf('--label'); index >= 0; index = args.indexOf('--label')) {
    const pair = args.at(index + 1);
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) throw new UsageError('--label needs key=value');
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
    args.splice(index, 2);
  }
  return labels;
}

/**
 * Enrols a host as POST /api/hosts does: appends host.enrolled (expected version 0:
 * a taken name fails, even against a running server) with the token's hash, and
 * prints the token once with the command that starts the agent.
 */
export const hostAddCommand: CliCommand = {
  words: ['host', 'add'],
  synopsis: 'NAME [--label key=value]...',
  summary: 'enrol a host for `vigil agent` (prints its token once)',
  async run(args) {
    const labels = labelsOf(args);
    if (args.length !== 1) throw new UsageError('host add needs NAME');
    const parsed = enrolHostSchema.safeParse({ name: args[0], labels });
    if (!parsed.success)
      throw new UsageError(`invalid host: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const { name } = parsed.data;
    const token = generateHostToken();
    const meta: EventMeta = { actor: { id: 'cli', username: `cli:${userInfo().username}`, roles: [] }, correlationId: randomUUID() };
    const store = await openLogForWriting(readSettings().dataDir);
    try {
      await store.append(
        hostStreamOf(name),
        0,
        [{ type: 'host.enrolled', data: { name, labels: parsed.data.labels, tokenHash: hashHostToken(token) } }],
        meta,
      );
    } catch (error) {
      if (error instanceof ConcurrencyError) throw new CliFailure(`host "${name}" is already enrolled`);
      throw error;
    } finally {
      await store.close();
    }
    process.stdout.write(
      `Enrolled host "${name}". Its token is shown only now:\n\n  ${token}\n\nOn that host:\n\n  VIGIL_AGENT_TOKEN=${token} npm run vigil -- agent --server http://<this server>:3000 --name ${name} --config vigil-agent.yaml\n`,
    );
    return 0;
  },
};
