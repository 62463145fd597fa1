import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * Makes SQLite commits durable off the event loop. The log's connection runs with
 * synchronous=NORMAL, so a commit writes the WAL without an fsync (and SQLite
 * still syncs around every checkpoint, so the file can never be corrupted); this
 * then fsyncs the WAL file on libuv's thread pool and only afterwards runs what
 * waited for the commit: resolving the appends (so the 202) and publishing the
 * events. Acknowledged commits are exactly as durable as with synchronous=FULL,
 * but a slow disk no longer stalls every socket and timer of the process for the
 * length of each fsync (it did: single fsyncs of 20–250 ms under load on this VM).
 *
 * One fsync is in flight at a time and covers every commit written before it
 * started, so commits that come while the disk is busy share the next one.
 * fsync(2) flushes the file's data whichever descriptor wrote it.
 */
export type Settle = (error?: Error) => void;

export class WalSync {
  private readonly fd: number;
  /** Waiting for the next fsync, in commit order. */
  private waiting: Settle[] = [];
  /** Waiting for the fsync in flight. */
  private syncing: Settle[] | undefined;
  private failure: Error | undefined;
  private idle: (() => void)[] = [];

  constructor(walFile: string) {
    // The WAL exists from the first write on and lives as long as a connection is open.
    this.fd = openSync(walFile, 'a', 0o600);
  }

  /**
   * Runs `settle` once everything committed until now is on disk, after every
   * earlier one; with the error if the fsync failed (then whether those commits
   * reached the disk is unknown, and every later one is refused the same way).
   */
  afterSync(settle: Settle): void {
    if (this.failure) {
      settle(this.failure);
      return;
    }
    this.waiting.push(settle);
    if (!this.syncing) this.start();
  }

  private start(): void {
    this.syncing = this.waiting;
    this.waiting = [];
    fdatasync(this.fd, (error) => {
      const done = this.syncing ?? [];
      this.syncing = undefined;
      if (error) {
        const failure = new Error(`fsync of the event log failed: ${error.message}`);
        this.failure = failure;
        const later = this.waiting;
        this.waiting = [];
        for (const settle of [...done, ...later]) settle(failure);
      } else {
        for (const settle of done) settle();
        if (this.waiting.length > 0) {
          this.start();
          return;
        }
      }
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
    });
  }

  /** Resolves when no commit waits for a sync. */
  drained(): Promise<void> {
    if (!this.syncing) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    closeSync(this.fd);
  }
}
