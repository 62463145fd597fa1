/**
 * A fixed-capacity FIFO: pushing onto a full buffer overwrites the oldest item.
 * O(1) push, no array shifting; used for the last N log lines of each instance.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count += 1;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The newest `n` items (all when n is omitted), oldest first. */
  last(n: number = this.count): T[] {
    const take = Math.max(0, Math.min(Math.floor(n), this.count));
    const out = new Array<T>(take);
    const skip = this.count - take;
    for (let i = 0; i < take; i++) out[i] = this.items[(this.start + skip + i) % this.capacity] as T;
    return out;
  }

  toArray(): T[] {
    return this.last();
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
