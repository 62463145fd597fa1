// A pool of worker threads running fanout-client-worker.mjs, driven by commands.
import { Worker } from 'node:worker_threads';
import { MsHistogram } from './stats.mjs';

const WORKER = new URL('../fanout-client-worker.mjs', import.meta.url);

export class ClientPool {
  /** `headers` go on every SSE request (the bench server's `authorization`). */
  constructor(size, { port, path, headers = {} }) {
    this.workers = Array.from({ length: size }, () => new Worker(WORKER, { workerData: { port, path, headers } }));
  }

  ask(worker, message, replyType) {
    return new Promise((resolve, reject) => {
      const onMessage = (reply) => {
        if (reply.type !== replyType) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(reply);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage(message);
    });
  }

  all(message, replyType) {
    return Promise.all(this.workers.map((w, i) => this.ask(w, typeof message === 'function' ? message(i) : message, replyType)));
  }

  async connect(total, { concurrency = 100, timeoutMs = 120_000 } = {}) {
    const n = this.workers.length;
    const replies = await this.all(
      (i) => ({ cmd: 'connect', count: Math.floor(total / n) + (i < total % n ? 1 : 0), concurrency, timeoutMs }),
      'connected',
    );
    return { ready: sum(replies, 'ready'), failed: sum(replies, 'failed'), ms: Math.max(...replies.map((r) => r.ms)) };
  }

  /** Counts events whose `time` is at or after `from` (wall-clock ms). */
  start(from = Date.now()) {
    return this.all({ cmd: 'start', from }, 'started');
  }

  /** Messages counted so far (at the end of the send window). */
  async mark() {
    return sum(await this.all({ cmd: 'mark' }, 'marked'), 'messages');
  }

  async stop() {
    const replies = await this.all({ cmd: 'stop' }, 'stats');
    const histogram = new MsHistogram();
    for (const r of replies) histogram.merge(new MsHistogram(undefined, r.counts));
    return {
      messages: sum(replies, 'messages'),
      bytes: sum(replies, 'bytes'),
      dropped: sum(replies, 'droppedDuringMeasure'),
      open: sum(replies, 'open'),
      histogram,
    };
  }

  async close() {
    await this.all({ cmd: 'close' }, 'closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const sum = (items, key) => items.reduce((total, item) => total + item[key], 0);
