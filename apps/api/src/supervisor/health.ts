const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Without a healthUrl, an instance that is still up after this long counts as healthy. */
export const SETTLE_MS = 500;
const POLL_MS = 150;

export interface HealthWait {
  /** healthUrl with {port} filled in; absent: healthy once the process survived SETTLE_MS. */
  url?: string;
  timeoutMs: number;
  /** Settles when the process exits: the wait fails at once. */
  exited: Promise<unknown>;
  signal: AbortSignal;
  describe: string;
}

async function answers2xx(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(1000)]), redirect: 'manual' });
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}

/** Resolves once the instance is healthy; rejects on timeout, exit or abort. */
export async function waitHealthy(wait: HealthWait): Promise<void> {
  let exited = false;
  let exitInfo: unknown;
  void wait.exited.then((info) => {
    exited = true;
    exitInfo = info;
  });
  // Set by the callback above while this function awaits: asked afresh each time, never narrowed.
  const hasExited = (): boolean => exited;
  const deadline = Date.now() + wait.timeoutMs;
  const exitError = () => new Error(`${wait.describe} exited (${describeExit(exitInfo)}) before it was healthy`);
  if (!wait.url) {
    await sleep(Math.min(SETTLE_MS, wait.timeoutMs));
    if (wait.signal.aborted) throw wait.signal.reason;
    if (hasExited()) throw exitError();
    return;
  }
  for (;;) {
    if (wait.signal.aborted) throw wait.signal.reason;
    if (hasExited()) throw exitError();
    if (await answers2xx(wait.url, wait.signal)) {
      if (hasExited()) throw exitError();
      return;
    }
    if (Date.now() >= deadline) throw new Error(`${wait.describe} was not healthy within ${wait.timeoutMs / 1000} s (${wait.url})`);
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

export function describeExit(info: unknown): string {
  const exit = info as { code?: number | null; signal?: string | null } | undefined;
  if (exit?.signal) return `signal ${exit.signal}`;
  if (exit?.code !== undefined && exit.code !== null) return `code ${exit.code}`;
  return 'failed to start';
}
