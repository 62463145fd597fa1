// One client worker of fanout.mjs: holds a share of the SSE connections, counts
// messages and records delivery latency (receipt time − event `time`) in a histogram.
import { parentPort, workerData } from 'node:worker_threads';
import { openSse, latencyFromData } from './lib/sse-client.mjs';
import { MsHistogram } from './lib/stats.mjs';

const { port, path, headers = {} } = workerData;
const sockets = new Set();
let measuring = false;
let measureFrom = 0; // only events committed at or after this wall-clock ms count
let histogram = new MsHistogram();
let messages = 0;
let bytes = 0;
let droppedDuringMeasure = 0;

function connect(count, concurrency, timeoutMs) {
  return new Promise((resolve) => {
    let started = 0;
    let ready = 0;
    let failed = 0;
    const began = Date.now();
    const finish = () => resolve({ ready, failed, ms: Date.now() - began });
    const timer = setTimeout(finish, timeoutMs);
    const settle = () => {
      if (ready + failed === count) {
        clearTimeout(timer);
        finish();
        return;
      }
      if (started < count) next();
    };
    const next = () => {
      started += 1;
      let gotFirst = false;
      const socket = openSse({
        port,
        path,
        headers,
        onMessage: (data, id, frameBytes) => {
          if (!gotFirst) {
            gotFirst = true;
            ready += 1;
            settle();
            return;
          } // the snapshot
          if (!measuring || id === undefined) return;
          const now = Date.now();
          const latency = latencyFromData(data, now);
          if (latency === undefined || now - latency < measureFrom) return; // warm-up event arriving late
          messages += 1;
          bytes += frameBytes;
          histogram.add(latency);
        },
        onClose: () => {
          sockets.delete(socket);
          if (!gotFirst) {
            gotFirst = true;
            failed += 1;
            settle();
          } else if (measuring) droppedDuringMeasure += 1;
        },
      });
      sockets.add(socket);
    };
    for (let i = 0; i < Math.min(concurrency, count); i++) next();
    if (count === 0) finish();
  });
}

parentPort.on('message', async (msg) => {
  if (msg.cmd === 'connect') {
    parentPort.postMessage({ type: 'connected', ...(await connect(msg.count, msg.concurrency, msg.timeoutMs)) });
  } else if (msg.cmd === 'start') {
    histogram = new MsHistogram();
    messages = 0;
    bytes = 0;
    droppedDuringMeasure = 0;
    measureFrom = msg.from;
    measuring = true;
    parentPort.postMessage({ type: 'started' });
  } else if (msg.cmd === 'mark') {
    parentPort.postMessage({ type: 'marked', messages });
  } else if (msg.cmd === 'stop') {
    measuring = false;
    parentPort.postMessage({ type: 'stats', messages, bytes, droppedDuringMeasure, open: sockets.size, counts: histogram.counts }, [
      histogram.counts.buffer,
    ]);
  } else if (msg.cmd === 'close') {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    parentPort.postMessage({ type: 'closed' });
  }
});
