/** One `vigil` subcommand: the words that select it, its usage line, and what it does. */
export interface CliCommand {
  /** e.g. ['user', 'add']: matched against the first arguments. */
  words: readonly string[];
  /** Arguments after the words, for the usage text (e.g. 'NAME --role ROLE'). */
  synopsis: string;
  /** One line: what it does. */
  summary: string;
  /** More for `vigil WORDS --help`: options and what the output looks like. */
  help?: string;
  /** Runs with the arguments after the words; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** Wrong arguments: exit 2 with the message and the usage text. */
export class UsageError extends Error {}

/** An operational failure the user can act on: exit 1 with the message (no usage text). */
export class CliFailure extends Error {}

/** Removes `--name VALUE` from `args` and returns VALUE (undefined when absent). */
export function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args.at(index + 1);
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

/** Fails on anything left over after the known options were taken. */
export function noMoreArguments(args: readonly string[], command: string): void {
  if (args.length > 0) throw new UsageError(`${command}: unexpected argument "${args[0]}"`);
}
