/** Rejects with the signal's reason as soon as it aborts; otherwise settles like `work`. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Runs operations on one service one at a time, in arrival order. A caller whose
 * signal aborts while it waits gives up its turn without running (and without
 * letting the next one overtake the operation still running).
 */
export class OpLock {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
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
