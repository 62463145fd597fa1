/** Stands for "the signal aborted" in raceAbort's race. */
const ABORTED: unique symbol = Symbol('aborted');

/** Throws the signal's reason as soon as it aborts; otherwise settles like `work`. */
export async function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  const listening = new AbortController();
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    signal.addEventListener(
      'abort',
      () => {
        resolve(ABORTED);
      },
      { once: true, signal: listening.signal },
    );
  });
  try {
    const outcome = await Promise.race([work, aborted]);
    // The reason is whatever the aborter gave (an AbortCause for commands): passed on as is.
    if (outcome === ABORTED) throw signal.reason;
    return outcome;
  } finally {
    listening.abort();
  }
}

/**
 * Runs operations on one service one at a time, in arrival order. A caller whose
 * signal aborts while it waits gives up its turn without running (and without
 * letting the next one overtake the operation still running).
 */
export class OpLock {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tail = previous.then(() => mine);
    try {
      await (signal ? raceAbort(previous, signal) : previous);
      return await work();
    } finally {
      release();
    }
  }
}
