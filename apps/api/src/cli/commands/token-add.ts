import { roleSchema, type EventMeta } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { planNewToken, TokenInputError } from '../../auth/tokens/new-token';
import { tokenStreamOf } from '../../auth/tokens/tokens-state';
import { USER_STATE_EVENTS } from '../../auth/users.projection';
import { UsersState } from '../../auth/users-state';
import { loadConfig } from '../../config/load-config';
import { readSettings } from '../../config/settings';
import { noMoreArguments, optionValue, UsageError, type CliCommand } from '../cli-command';
import { openLogForWriting } from '../open-log';

const DURATION = /^(\d{1,5})(h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000 };

/** `--expires 90d`, `--expires 12h` or an ISO-8601 time. */
export function expiryOf(raw: string, now = Date.now()): string {
  const duration = DURATION.exec(raw);
  if (duration) return new Date(now + Number(duration[1]) * UNIT_MS[duration[2]]).toISOString();
  const time = Date.parse(raw);
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && Number.isFinite(time)) return new Date(time).toISOString();
  throw new UsageError(`--expires "${raw}": use a duration (90d, 12h) or an ISO-8601 time`);
}

function grantsOption(raw: string | undefined): ReturnType<typeof roleSchema.parse> | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new UsageError('--grants must be JSON, e.g. \'{"environments":["staging"],"commands":[{"types":["restart"]}]}\'');
  }
  const parsed = roleSchema.omit({ description: true }).safeParse(json);
  if (!parsed.success)
    throw new UsageError(`--grants: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The first API token, before anyone can call POST /api/tokens from a script:
 * appends token.created like the server would and prints the token once.
 */
export const tokenAddCommand: CliCommand = {
  words: ['token', 'add'],
  synopsis: 'NAME --user USER (--role ROLE | --grants JSON) [--expires 90d]',
  summary: 'create an API token for USER (printed once; only its hash is stored)',
  async run(args) {
    const username = optionValue(args, '--user');
    const role = optionValue(args, '--role');
    const grants = grantsOption(optionValue(args, '--grants'));
    const expires = expiryOf(optionValue(args, '--expires') ?? '90d');
    const name = args.shift();
    noMoreArguments(args, 'token add');
    if (!name || !username) throw new UsageError('token add needs NAME and --user USER');
    if ((role === undefined) === (grants === undefined)) throw new UsageError('token add needs exactly one of --role or --grants');

    const settings = readSettings();
    const config = loadConfig(settings.configPath);
    const store = await openLogForWriting(settings.dataDir);
    try {
      const users = new UsersState();
      for await (const event of store.read(1, { types: USER_STATE_EVENTS })) users.apply(event);
      const owner = users.byUsername.get(username.toLowerCase());
      if (!owner) throw new UsageError(`no user "${username}"`);
      let planned;
      try {
        planned = planNewToken(config, owner, {
          name,
          ...(role !== undefined ? { role } : {}),
          ...(grants ? { grants } : {}),
          expiresAt: expires,
        });
      } catch (error) {
        if (error instanceof TokenInputError) throw new UsageError(error.message);
        throw error;
      }
      const meta: EventMeta = { actor: { id: 'cli', username: `cli:${userInfo().username}`, roles: [] }, correlationId: randomUUID() };
      await store.append(tokenStreamOf(planned.tokenId), 0, [planned.event], meta);
      process.stdout.write(
        `created API token "${name}" for ${owner.username} (id ${planned.tokenId}, expires ${planned.event.data.expiresAt}).\n` +
          `It is shown only this once; send it as "Authorization: Bearer <token>":\n${planned.secret}\n`,
      );
    } finally {
      await store.close();
    }
    return 0;
  },
};
