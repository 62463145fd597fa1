import { Logger } from '@nestjs/common';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { readCmdline } from './proc';

/** One live child of Vigil, as recorded in `<dataDir>/supervisor/children.json`. */
export interface ChildRecord {
  pid: number;
  command: string;
  args: string[];
  environment: string;
  service: string;
  /** Instance index; -1 for a deploy step. */
  instance: number;
  startedAt: string;
}

/**
 * The PID file: every live child, rewritten atomically (temp file + rename) on
 * each spawn and exit, so that after Vigil is killed the next start can find and
 * stop what it left running.
 */
export class ChildrenFile {
  private readonly logger = new Logger('Supervisor');
  private readonly records = new Map<number, ChildRecord>();

  constructor(readonly path: string) {}

  /** What the file holds now (an unreadable or corrupt file reads as empty). */
  read(): ChildRecord[] {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(isChildRecord);
    } catch {
      return [];
    }
  }

  add(record: ChildRecord): void {
    this.records.set(record.pid, record);
    this.write();
  }

  remove(pid: number): void {
    if (this.records.delete(pid)) this.write();
  }

  /** Replaces the file with what this process holds (used after cleaning up leftovers). */
  write(): void {
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(temp, `${JSON.stringify([...this.records.values()], null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, this.path);
    } catch (error) {
      this.logger.error(`could not write ${this.path}: ${String(error)}`);
    }
  }
}

/** Enough of a record to find and check its process; the rest is taken as written. */
function isChildRecord(value: unknown): value is ChildRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    'pid' in value &&
    typeof value.pid === 'number' &&
    Number.isInteger(value.pid) &&
    value.pid > 1 &&
    'command' in value &&
    typeof value.command === 'string' &&
    'args' in value &&
    Array.isArray(value.args)
  );
}

/** Whether the live process `pid` still runs the recorded program (guards against pid reuse). */
export function cmdlineMatches(pid: number, command: string, args: readonly string[]): boolean {
  const argv = readCmdline(pid);
  if (argv.length !== args.length + 1) return false;
  if (argv[0] !== command && basename(argv[0]) !== basename(command)) return false;
  return args.every((arg, i) => argv[i + 1] === arg);
}
