import { isAlive, readStatSync } from './proc';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Signals the process group led by `pid` (children are spawned detached, so each
 * is its own group leader and `-pid` reaches its own children too). Falls back to
 * the single pid when no such group exists. Never throws; false when nothing was signalled.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** Whether any process of the group led by `pid` is still there. */
export function groupExists(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls until `pid` is gone (or a zombie); true when it went within `ms`. */
export async function waitGone(pid: number, ms: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}

/**
 * For processes that are not our children (leftovers of an earlier Vigil): SIGTERM
 * the group (only if the pid really leads one), wait up to `graceMs`, then SIGKILL.
 */
export async function terminateForeign(pid: number, graceMs: number): Promise<boolean> {
  const leadsGroup = readStatSync(pid)?.pgrp === pid;
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(leadsGroup ? -pid : pid, signal);
    } catch {
      // already gone
    }
  };
  send('SIGTERM');
  if (await waitGone(pid, graceMs)) {
    if (leadsGroup && groupExists(pid)) send('SIGKILL');
    return true;
  }
  send('SIGKILL');
  return waitGone(pid, 5000);
}
