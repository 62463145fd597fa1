import { passwordSchema, usernameSchema, type EventMeta } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { passwordBox } from '../../auth/first-admin';
import { generatePassword } from '../../auth/password';
import { roleExists, userCreatedEvent } from '../../auth/user-events';
import { userStreamOf } from '../../auth/users-state';
import { loadConfig } from '../../config/load-config';
import { readSettings } from '../../config/settings';
import { ConcurrencyError } from '../../event-store/event-store';
import { CliFailure, optionValue, UsageError, type CliCommand } from '../cli-command';
import { openLogForWriting } from '../open-log';
import { readStdin, stdinIsPiped } from '../stdin';

/**
 * Appends user.created with expectedVersion 0 (a taken name fails its version
 * check, even against a running server). The password comes from stdin when it
 * is piped, else it is generated and printed once.
 */
export const userAddCommand: CliCommand = {
  words: ['user', 'add'],
  synopsis: 'NAME --role ROLE',
  summary: 'create a user (password from stdin when piped, else generated and printed)',
  async run(args) {
    const role = optionValue(args, '--role');
    if (args.length !== 1 || !role) throw new UsageError('user add needs NAME and --role ROLE');
    const username = usernameSchema.safeParse(args[0]);
    if (!username.success) throw new UsageError(`invalid username "${args[0]}": ${username.error.issues[0]?.message}`);
    const settings = readSettings();
    const config = loadConfig(settings.configPath, { required: settings.configRequired });
    if (!roleExists(config, role)) throw new UsageError(`unknown role "${role}" (configured: ${Object.keys(config.roles).join(', ')})`);

    const piped = stdinIsPiped();
    const password = piped ? await readStdin() : generatePassword();
    const valid = passwordSchema.safeParse(password);
    if (!valid.success) throw new UsageError(`the password from stdin is not usable: ${valid.error.issues[0]?.message}`);

    const { userId, event } = await userCreatedEvent(username.data, role, password);
    const meta: EventMeta = {
      actor: { id: 'cli', username: `cli:${userInfo().username}`, roles: [] },
      correlationId: randomUUID(),
    };
    const store = await openLogForWriting(settings.dataDir);
    try {
      await store.append(userStreamOf(userId), 0, [event], meta);
    } catch (error) {
      if (error instanceof ConcurrencyError) throw new CliFailure(`user "${username.data}" already exists`);
      throw error;
    } finally {
      await store.close();
    }
    if (piped) process.stdout.write(`created user "${username.data}" (role ${role}, id ${userId})\n`);
    else
      process.stdout.write(
        `${passwordBox(username.data, password).replace('Vigil created the first user.', `Created user "${username.data}" (role ${role}).`)}\n`,
      );
    return 0;
  },
};
