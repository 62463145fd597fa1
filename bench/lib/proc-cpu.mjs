// CPU time of a process from /proc/<pid>/stat (Linux): utime, stime, and the
// cutime/cstime of its waited-for children, in clock ticks converted to ms.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks;
/** Clock ticks per second (`getconf CLK_TCK`, 100 on practically every Linux). */
export function clockTicks() {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** { selfMs, childrenMs, totalMs } for pid ('self' by default). */
export function procCpu(pid = 'self') {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (comm) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime..cstime are fields 14..17.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  const msPerTick = 1000 / clockTicks();
  const selfMs = (utime + stime) * msPerTick;
  const childrenMs = (cutime + cstime) * msPerTick;
  return { selfMs, childrenMs, totalMs: selfMs + childrenMs };
}
