#!/usr/bin/env node
/**
 * `npm run vigil -- <command>`: the dispatcher. Each command lives in
 * cli/commands/; this file only picks one, prints usage and maps errors to exit
 * codes (2 usage, 1 operational failure). Settings are the server's:
 * VIGIL_DATA_DIR and VIGIL_CONFIG.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { vigilVersion } from '../common/vigil-version';
import { ConfigError } from '../config/load-config';
import { CliFailure, UsageError, type CliCommand } from './cli-command';
import { configCheckCommand, configSchemaCommand } from './commands/config';
import { userAddCommand } from './commands/user-add';
import { userListCommand } from './commands/user-list';
import { exportCommand } from './commands/export';
import { rebuildCommand } from './commands/rebuild';
import { reviewCommand } from './commands/review';
import { verifyCommand } from './commands/verify';
import { agentCommand } from './commands/agent';
import { hostAddCommand } from './commands/host-add';
import { copyLogCommand } from './commands/copy-log';
import { tokenAddCommand } from './commands/token-add';

const COMMANDS: readonly CliCommand[] = [
  userAddCommand,
  userListCommand,
  tokenAddCommand,
  verifyCommand,
  rebuildCommand,
  exportCommand,
  reviewCommand,
  hostAddCommand,
  agentCommand,
  copyLogCommand,
  configCheckCommand,
  configSchemaCommand,
];

export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  const heads = commands.map((command) => `vigil ${[...command.words, command.synopsis].filter(Boolean).join(' ')}`);
  const width = Math.max(...heads.map((head) => head.length));
  const lines = commands.map((command, i) => `  ${heads[i].padEnd(width)}  ${command.summary}`);
  return `usage:\n${lines.join('\n')}\nSettings: VIGIL_DATA_DIR (./data), VIGIL_CONFIG (./vigil.config.yaml), as for the server.`;
}

function find(args: readonly string[]): CliCommand | undefined {
  return COMMANDS.find((command) => command.words.every((word, i) => args[i] === word));
}

/** `vigil user --help`: the commands whose words start with the given ones. */
function group(words: readonly string[]): CliCommand[] {
  return COMMANDS.filter((command) => words.length > 0 && words.every((word, i) => command.words[i] === word));
}

function commandHelp(command: CliCommand): string {
  const head = `usage: vigil ${[...command.words, command.synopsis].filter(Boolean).join(' ')}`;
  return [head, '', `  ${command.summary}`, ...(command.help ? ['', `  ${command.help}`] : [])].join('\n');
}

/** The global flags and the words before the first option, read with node:util parseArgs. */
function globalFlags(argv: string[]): { help: boolean; version: boolean; words: string[]; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' } },
    allowPositionals: true,
    strict: false,
  });
  const words: string[] = [];
  for (const arg of positionals) {
    if (!COMMANDS.some((command) => command.words.includes(arg))) break;
    words.push(arg);
  }
  // Whole words only: an option value such as `--from -1h` is not a cluster of short flags (`-1 -h`).
  const given = (long: string, short: string): boolean => values[long] === true && argv.some((arg) => arg === `--${long}` || arg === short);
  return { help: given('help', '-h'), version: given('version', '-V'), words, positionals };
}

export async function main(argv: string[]): Promise<number> {
  // The stores' own log lines are for the server; the CLI prints only its answer.
  Logger.overrideLogger(['error', 'warn']);
  const first = argv.at(0);
  if (first === undefined || first === 'help') {
    (first === undefined ? process.stderr : process.stdout).write(`${usage()}\n`);
    return first === undefined ? 2 : 0;
  }
  try {
    const flags = globalFlags(argv);
    if (flags.version && flags.words.length === 0) {
      process.stdout.write(`vigil ${vigilVersion()}\n`);
      return 0;
    }
    if (flags.help) {
      const exact = find(flags.words);
      const matching = group(flags.words);
      if (exact) process.stdout.write(`${commandHelp(exact)}\n`);
      else if (matching.length > 0) process.stdout.write(`${usage(matching)}\n`);
      else if (flags.positionals.length === 0) process.stdout.write(`${usage()}\n`);
      else throw new UsageError(`unknown command "${flags.positionals.join(' ')}"`);
      return 0;
    }
    const command = find(argv);
    if (!command) throw new UsageError(`unknown command "${argv.join(' ')}"`);
    return await command.run(argv.slice(command.words.length));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vigil: ${error.message}\n${usage()}\n`);
      return 2;
    }
    if (error instanceof CliFailure || error instanceof ConfigError) {
      process.stderr.write(`vigil: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`vigil: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // exitCode, not exit(): stdout (an export piped to a file) is flushed first.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
