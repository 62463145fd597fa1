/** A sample as the agent sends it (agentSampleSchema). */
export interface AgentSample {
  source: string;
  environment?: string;
  time: string;
  values: Record<string, number>;
  error?: string;
  units?: Record<string, { unit: string; kind: 'gauge' | 'rate' }>;
}

/**
 * Samples waiting to be sent: bounded, the oldest dropped first when full, and the
 * drops counted (reported with the next batch). While the server is away it fills;
 * when it is back, batches drain it oldest first, which back-fills the history.
 */
export class SampleBuffer {
  private items: AgentSample[] = [];
  private droppedSinceReport = 0;
  private droppedTotal = 0;

  constructor(private readonly capacity: number) {}

  push(sample: AgentSample): void {
    this.items.push(sample);
    const over = this.items.length - this.capacity;
    if (over > 0) {
      this.items.splice(0, over);
      this.droppedSinceReport += over;
      this.droppedTotal += over;
    }
  }

  get size(): number {
    return this.items.length;
  }

  get dropped(): number {
    return this.droppedTotal;
  }

  /**
   * The oldest samples, up to `maxBytes` of JSON (the server's body limit) but at least one,
   * and the drops to report; give them back with `putBack` if sending fails.
   */
  take(maxBytes: number): { samples: AgentSample[]; dropped: number } {
    let count = 0;
    let bytes = 0;
    while (count < this.items.length) {
      bytes += JSON.stringify(this.items[count]).length + 1;
      if (count > 0 && bytes > maxBytes) break;
      count += 1;
    }
    const samples = this.items.splice(0, count);
    const dropped = this.droppedSinceReport;
    this.droppedSinceReport = 0;
    return { samples, dropped };
  }

  putBack(batch: { samples: AgentSample[]; dropped: number }): void {
    this.items = [...batch.samples, ...this.items];
    this.droppedSinceReport += batch.dropped;
    const over = this.items.length - this.capacity;
    if (over > 0) {
      this.items.splice(0, over);
      this.droppedSinceReport += over;
      this.droppedTotal += over;
    }
  }
}
