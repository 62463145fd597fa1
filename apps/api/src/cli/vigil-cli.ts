#!/usr/bin/env node
/**
 * `npm run vigil -- user add NAME --role ROLE` · `npm run vigil -- user list`
 *
 * Works on the event log file directly (the same VIGIL_DATA_DIR and VIGIL_CONFIG
 * as the server), appends user.created with expectedVersion 0 and exits. The
 * password is read from stdin when it is piped, else generated and printed once.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { passwordSchema, usernameSchema, type EventMeta } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { fstatSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/load-config';
import { ensureDataDir, readSettings } from '../config/settings';
import { ConcurrencyError } from '../event-store/event-store';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { passwordBox } from '../auth/first-admin';
import { generatePassword } from '../auth/password';
import { roleExists, userCreatedEvent } from '../auth/user-events';
import { USER_STATE_EVENTS } from '../auth/users.projection';
import { UsersState, userStreamOf } from '../auth/users-state';

const USAGE = `usage:
  vigil user add NAME --role ROLE    create a user (password from stdin when piped, else generated and printed)
  vigil user list                    list users
Settings: VIGIL_DATA_DIR (./data), VIGIL_CONFIG (./vigil.config.yaml), as for the server.`;

class UsageError extends Error {}

/** A pipe or a redirected file on stdin carries the password; a terminal or /dev/null does not. */
function stdinIsPiped(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isFile() || stat.isSocket();
  } catch {
    return false;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline (from `echo` or a file) is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

async function openStore(dataDir: string): Promise<SqliteEventStore> {
  ensureDataDir(dataDir);
  return SqliteEventStore.open({ file: join(dataDir, 'events.db') });
}

async function userAdd(args: string[]): Promise<void> {
  const role = optionValue(args, '--role');
  if (args.length !== 1 || !role) throw new UsageError('user add needs NAME and --role ROLE');
  const username = usernameSchema.safeParse(args[0]);
  if (!username.success) throw new UsageError(`invalid username "${args[0]}": ${username.error.issues[0]?.message}`);
  const settings = readSettings();
  const config = loadConfig(settings.configPath);
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
  const store = await openStore(settings.dataDir);
  try {
    await store.append(userStreamOf(userId), 0, [event], meta);
  } catch (error) {
    if (error instanceof ConcurrencyError) throw new Error(`user "${username.data}" already exists`);
    throw error;
  } finally {
    await store.close();
  }
  if (piped) process.stdout.write(`created user "${username.data}" (role ${role}, id ${userId})\n`);
  else process.stdout.write(`${passwordBox(username.data, password).replace('Vigil created the first user.', `Created user "${username.data}" (role ${role}).`)}\n`);
}

async function userList(): Promise<void> {
  const settings = readSettings();
  const store = await openStore(settings.dataDir);
  const state = new UsersState();
  try {
    for await (const event of store.read(1, { types: USER_STATE_EVENTS })) state.apply(event);
  } finally {
    await store.close();
  }
  const rows = state.list().map((user) => [user.username, user.role, user.disabled ? 'disabled' : 'active', user.createdAt, user.id]);
  const header = ['USERNAME', 'ROLE', 'STATUS', 'CREATED', 'ID'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()}\n`);
}

export async function main(argv: string[]): Promise<number> {
  // The store's own log lines are for the server; the CLI prints only its answer.
  Logger.overrideLogger(['error', 'warn']);
  const args = [...argv];
  try {
    const [group, command, ...rest] = args;
    if (group === 'user' && command === 'add') await userAdd(rest);
    else if (group === 'user' && command === 'list' && rest.length === 0) await userList();
    else if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return group === undefined ? 2 : 0;
    } else throw new UsageError(`unknown command "${args.join(' ')}"`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vigil: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`vigil: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`vigil: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
