import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { MetricSample } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { Cluster } from '../cluster/cluster';
import { MetricsService } from './metrics.service';

export const SAMPLES_CHANNEL = 'vigil_samples';
/** PostgreSQL's NOTIFY payload limit is 8000 bytes; keep a margin for the envelope. */
const MAX_PAYLOAD_BYTES = 7_800;
const BATCH_MS = 100;

interface SampleBatch {
  node: string;
  samples: MetricSample[];
}

/**
 * Live metrics across the cluster: every node's own samples go to the other nodes'
 * streams (and the leader's alert evaluator) within ~100 ms, batched into NOTIFY
 * messages under the 8000-byte limit. Live only: each node stores its own samples
 * in the shared time series, so history is the same everywhere and nothing is
 * stored twice. A sample too big for one message is not relayed (it is still
 * stored, and history shows it).
 */
@Injectable()
export class ClusterSampleRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SampleRelay');
  private readonly subscriptions: Subscription[] = [];
  private pending: MetricSample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(Cluster) private readonly cluster: Cluster,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    if (!this.cluster.clustered) return;
    this.subscriptions.push(
      this.metrics.localSamples$.subscribe((sample) => {
        this.pending.push(sample);
        this.timer ??= setTimeout(() => {
          this.flush();
        }, BATCH_MS);
      }),
      this.cluster.messages$(SAMPLES_CHANNEL).subscribe((payload) => {
        this.receive(payload);
      }),
    );
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    clearTimeout(this.timer);
  }

  private flush(): void {
    this.timer = undefined;
    const samples = this.pending;
    this.pending = [];
    const node = this.cluster.nodeName;
    let batch: string[] = [];
    let size = 0;
    const send = (): void => {
      if (batch.length > 0) this.cluster.broadcast(SAMPLES_CHANNEL, `{"node":${JSON.stringify(node)},"samples":[${batch.join(',')}]}`);
      batch = [];
      size = 0;
    };
    for (const sample of samples) {
      const json = JSON.stringify(sample);
      const bytes = Buffer.byteLength(json) + 1;
      if (bytes > MAX_PAYLOAD_BYTES - 64) {
        this.logger.warn(`sample of ${sample.source} not relayed: ${bytes} bytes is over the NOTIFY limit`);
        continue;
      }
      if (size + bytes > MAX_PAYLOAD_BYTES - 64) send();
      batch.push(json);
      size += bytes;
    }
    send();
  }

  private receive(payload: string): void {
    let batch: SampleBatch;
    try {
      batch = JSON.parse(payload) as SampleBatch;
    } catch {
      return;
    }
    if (typeof batch.node !== 'string' || batch.node === this.cluster.nodeName || !Array.isArray(batch.samples)) return;
    for (const sample of batch.samples) {
      if (typeof sample.source !== 'string' || typeof sample.time !== 'string' || typeof sample.values !== 'object') continue;
      this.metrics.publishRemote({ ...sample, host: batch.node });
    }
  }
}
