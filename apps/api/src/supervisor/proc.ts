import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Linux /proc readers for supervised processes. CPU times in /proc/<pid>/stat are
 * in clock ticks and /proc/<pid>/statm in pages: both constants are read once with
 * `getconf CLK_TCK` / `getconf PAGESIZE`, falling back to 100 and 4096 (the values
 * on every mainstream Linux/x86-64 and arm64 kernel) when getconf is missing.
 */
export interface ProcStat {
  /** R, S, D, Z (zombie), T, X (dead), … */
  state: string;
  pgrp: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Start time after boot, in clock ticks. */
  startTicks: number;
}

export interface SystemConstants {
  clockTicks: number;
  pageSize: number;
}

export const DEFAULT_CONSTANTS: SystemConstants = { clockTicks: 100, pageSize: 4096 };

function getconf(name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    try {
      execFile('getconf', [name], { timeout: 2000 }, (error, stdout) => {
        const value = Number(stdout.trim());
        resolve(!error && Number.isInteger(value) && value > 0 ? value : undefined);
      }).on('error', () => {
        resolve(undefined);
      });
    } catch {
      resolve(undefined);
    }
  });
}

let constants: Promise<SystemConstants> | undefined;
export function systemConstants(): Promise<SystemConstants> {
  constants ??= Promise.all([getconf('CLK_TCK'), getconf('PAGESIZE')]).then(([clockTicks, pageSize]) => ({
    clockTicks: clockTicks ?? DEFAULT_CONSTANTS.clockTicks,
    pageSize: pageSize ?? DEFAULT_CONSTANTS.pageSize,
  }));
  return constants;
}

/** Parses /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function parseStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close === -1) return null;
  // Fields from 3 (state) on; field n is at index n - 3.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  if (fields.length < 20) return null;
  return {
    state: fields[0],
    pgrp: Number(fields[2]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    startTicks: Number(fields[19]),
  };
}

export async function readStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export function readStatSync(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Resident set size in bytes, from /proc/<pid>/statm (second field, in pages). */
export async function readRssBytes(pid: number, pageSize: number): Promise<number | null> {
  try {
    const resident = Number((await readFile(`/proc/${pid}/statm`, 'utf8')).trim().split(/\s+/)[1]);
    return Number.isFinite(resident) ? resident * pageSize : null;
  } catch {
    return null;
  }
}

/** argv of a process ([] for a zombie or a vanished pid). */
export function readCmdline(pid: number): string[] {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const parts = raw.split('\0');
    if (parts.at(-1) === '') parts.pop();
    return parts;
  } catch {
    return [];
  }
}

export async function readUptimeSeconds(): Promise<number | null> {
  try {
    const value = Number((await readFile('/proc/uptime', 'utf8')).split(/\s+/)[0]);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** True while the pid exists and is not a zombie (a killed child not reaped yet counts as gone). */
export function isAlive(pid: number): boolean {
  const stat = readStatSync(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
