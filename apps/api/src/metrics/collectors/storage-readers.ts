import { readdir, readFile, statfs } from 'node:fs/promises';

/**
 * Disk usage and process counts without spawning anything: systeminformation's
 * fsSize() runs a synchronous `cat /proc/mounts` (it blocked the event loop for
 * tens of milliseconds every 10 s, the worst tail in the command round trip) and
 * processes() spawns `ps` and parses its output on the main thread.
 */

export interface MountUsage {
  mount: string;
  sizeBytes: number;
  usedBytes: number;
  /** As `df` reports it: used / (used + available to unprivileged users). */
  usedPercent: number;
}

/** Pseudo and read-only image filesystems `df` users do not think of as disks. */
const SKIPPED_TYPES = new Set(['squashfs', 'tmpfs', 'devtmpfs', 'ramfs', 'rootfs', 'cramfs']);

/** Mounts of block devices (the device starts with "/") and a container's overlay root, one per mount point, from /proc/mounts. */
export function deviceMounts(procMounts: string): string[] {
  const mounts = new Set<string>();
  for (const line of procMounts.split('\n')) {
    const [device, mount, type] = line.split(' ');
    const disk = device.startsWith('/') || (type === 'overlay' && mount === '/');
    if (!disk || !mount || SKIPPED_TYPES.has(type) || mount.includes('/snap/')) continue;
    // /proc/mounts escapes spaces, tabs and backslashes as octal.
    mounts.add(mount.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  }
  return [...mounts];
}

export async function readMountUsage(): Promise<MountUsage[]> {
  const mounts = deviceMounts(await readFile('/proc/mounts', 'utf8'));
  const usages = await Promise.all(
    mounts.map(async (mount): Promise<MountUsage | undefined> => {
      try {
        const stats = await statfs(mount);
        const sizeBytes = stats.blocks * stats.bsize;
        const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
        const availableBytes = stats.bavail * stats.bsize;
        const usedPercent = usedBytes + availableBytes > 0 ? Math.round((10_000 * usedBytes) / (usedBytes + availableBytes)) / 100 : 0;
        return { mount, sizeBytes, usedBytes, usedPercent };
      } catch {
        return undefined; // unmounted since, or not ours to read
      }
    }),
  );
  return usages.filter((usage) => usage !== undefined);
}

export interface ProcessCounts {
  all: number;
  running: number;
  blocked: number;
  sleeping: number;
}

/** The state letter of one /proc/<pid>/stat line: the field after the parenthesised command name. */
export function processState(statLine: string): string | undefined {
  const close = statLine.lastIndexOf(')');
  return close < 0 ? undefined : statLine.charAt(close + 2);
}

/** Counts of every process by state (R running, D blocked in uninterruptible I/O, S sleeping), as `ps` would give them. */
export async function readProcessCounts(): Promise<ProcessCounts> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const counts: ProcessCounts = { all: 0, running: 0, blocked: 0, sleeping: 0 };
  const states = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, 'latin1').then(processState, () => undefined)));
  for (const state of states) {
    if (state === undefined) continue; // exited while we read
    counts.all += 1;
    if (state === 'R') counts.running += 1;
    else if (state === 'D') counts.blocked += 1;
    else if (state === 'S') counts.sleeping += 1;
  }
  return counts;
}
