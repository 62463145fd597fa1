import type { StoredEvent } from '@vigil/shared';

/** Events this process committed (positions first..last, dense), and what to do once they are published. */
interface OwnCommit {
  first: number;
  last: number;
  events: readonly StoredEvent[];
  published: () => void;
}

/**
 * Publishes a shared log in position order, each position once, from two
 * sources: the events this process has just committed (known in memory) and the
 * rows read back from the database (every node's commits). A commit of ours
 * that lands after positions not yet published waits until the reads have filled
 * the gap; its `published` callback (which settles the append) runs only after
 * its events went out, so an awaiting caller always finds them published, as
 * with SQLite.
 */
export class CommitSequencer {
  private own: OwnCommit[] = [];

  /** `emitted`: the last position already published (the head at open). */
  constructor(
    private emitted: number,
    private readonly emit: (event: StoredEvent) => void,
  ) {}

  /** The last position published. */
  get position(): number {
    return this.emitted;
  }

  /** The highest position this process knows is committed (own commits included). */
  get knownHead(): number {
    return this.own.reduce((head, commit) => Math.max(head, commit.last), this.emitted);
  }

  /** True when an own commit waits for positions that must be read first. */
  get waiting(): boolean {
    return this.own.length > 0;
  }

  /** Our commit of `events` (dense positions); `published` runs once they are out. */
  addOwn(events: readonly StoredEvent[], published: () => void): void {
    if (events.length === 0) {
      published();
      return;
    }
    this.own.push({ first: events[0].position, last: events[events.length - 1].position, events, published });
    this.drainOwn();
  }

  /**
   * Rows read from the database, in position order from at most `position + 1`.
   * Those already published are skipped. Answers false when the rows do not
   * continue the published prefix (a gap: the caller reads again from `position`).
   */
  addRead(events: readonly StoredEvent[]): boolean {
    for (const event of events) {
      if (event.position <= this.emitted) continue;
      if (event.position !== this.emitted + 1) return false;
      this.emitted = event.position;
      this.emit(event);
      this.drainOwn();
    }
    return true;
  }

  /** At close: settles own commits still waiting (they are committed, only not published here). */
  settleAll(): void {
    const rest = this.own;
    this.own = [];
    for (const commit of rest) commit.published();
  }

  /** Publishes own commits that continue the prefix; settles those wholly published. */
  private drainOwn(): void {
    for (;;) {
      const next = this.own.find((commit) => commit.first === this.emitted + 1);
      if (next) {
        for (const event of next.events) this.emit(event);
        this.emitted = next.last;
      }
      const done = this.own.filter((commit) => commit.last <= this.emitted);
      if (done.length === 0) return;
      this.own = this.own.filter((commit) => commit.last > this.emitted);
      for (const commit of done) commit.published();
    }
  }
}
