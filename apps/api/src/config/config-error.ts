/** One thing wrong with the configuration or a setting: where it is and why it is refused. */
export interface ConfigProblem {
  /** The config file, or `environment` for a VIGIL_* variable. */
  file: string;
  /** 1-based line and column in `file`, when known. */
  line?: number;
  column?: number;
  /** The key path (`environments.0.services.1.instances`) or the variable name. */
  key: string;
  reason: string;
}

/** Where a problem is, as an editor or a compiler would print it. */
function place(problem: ConfigProblem): string {
  if (problem.line === undefined) return problem.file;
  return `${problem.file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
}

/** One readable block: a line per problem with file, line, key path and reason. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => `  ${place(problem)}  ${problem.key}: ${problem.reason}`);
  return `the configuration cannot be used (${count}):\n${lines.join('\n')}`;
}

/**
 * The configuration or a setting is unusable. Its message is the whole block, so
 * the server and the CLI print it as it is (never with a stack trace) and exit 1.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[] | string) {
    const list = typeof problems === 'string' ? [{ file: 'environment', key: 'setting', reason: problems }] : problems;
    super(typeof problems === 'string' ? problems : formatProblems(list));
    this.name = 'ConfigError';
    this.problems = list;
  }
}
