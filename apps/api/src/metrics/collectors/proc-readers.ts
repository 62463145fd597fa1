import { readFile } from 'node:fs/promises';

/**
 * Cheap readers of /proc for the every-second host collector. systeminformation
 * gets CPU load with a synchronous `cat /proc/stat | grep cpu` (it blocks the event
 * loop for ~10 ms) and network and disk figures by spawning shells; reading the
 * same files directly costs microseconds and never blocks.
 */

export interface CpuTimes {
  /** Jiffies spent busy and in total, for the whole machine and each core. */
  total: { busy: number; all: number };
  cores: { busy: number; all: number }[];
}

function parseCpuLine(fields: string[]): { busy: number; all: number } {
  // user nice system idle iowait irq softirq steal (guest times are inside user/nice)
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map(Number);
  const idleAll = idle + iowait;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, all: busy + idleAll };
}

export async function readCpuTimes(): Promise<CpuTimes> {
  const text = await readFile('/proc/stat', 'utf8');
  const cores: CpuTimes['cores'] = [];
  let total = { busy: 0, all: 0 };
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [name, ...fields] = line.trim().split(/\s+/);
    if (name === 'cpu') total = parseCpuLine(fields);
    else cores.push(parseCpuLine(fields));
  }
  return { total, cores };
}

/** Busy share between two readings, in percent (0 when no time passed). */
export function busyPercent(before: { busy: number; all: number }, after: { busy: number; all: number }): number {
  const all = after.all - before.all;
  return all > 0 ? Math.min(100, Math.max(0, ((after.busy - before.busy) / all) * 100)) : 0;
}

export interface InterfaceCounters {
  rxBytes: number;
  txBytes: number;
  errors: number;
}

export async function readNetDev(): Promise<Map<string, InterfaceCounters>> {
  const text = await readFile('/proc/net/dev', 'utf8');
  const interfaces = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs …
    interfaces.set(name, { rxBytes: f[0], txBytes: f[8], errors: f[2] + f[10] });
  }
  return interfaces;
}

/** Bytes read and written by whole disks (partitions are left out so nothing counts twice). */
export async function readDiskBytes(): Promise<{ read: number; written: number }> {
  const text = await readFile('/proc/diskstats', 'utf8');
  let read = 0;
  let written = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const name = f[2];
    if (
      /^(loop|ram|dm-|sr)/.test(name) ||
      /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+)\d+$/.test(name) ||
      /^nvme\d+n\d+p\d+$/.test(name) ||
      /^mmcblk\d+p\d+$/.test(name)
    )
      continue;
    read += Number(f[5]) * 512; // sectors read
    written += Number(f[9]) * 512; // sectors written
  }
  return { read, written };
}
