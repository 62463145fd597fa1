// Baseline for fanout.mjs: a bare node:http SSE broadcaster. Same routes and frame
// shape as Vigil's stream (id + one data line), frames padded to FRAME_BYTES, one
// frame built per emit and written to every client. POST /api/emit broadcasts one.
import http from 'node:http';

const port = Number(process.env.PORT);
const frameBytes = Number(process.env.FRAME_BYTES ?? 400);
const clients = new Set();
let position = 0;

function frame() {
  position += 1;
  const head = { position, stream: 'baseline', version: position, type: 'command.completed', data: { pad: '' } };
  const tail = { time: new Date().toISOString(), hash: '0'.repeat(64) };
  const build = (pad) => `id: ${position}\ndata: ${JSON.stringify({ ...head, data: { pad }, ...tail })}\n\n`;
  const bare = build('');
  return Buffer.from(build('x'.repeat(Math.max(0, frameBytes - Buffer.byteLength(bare)))));
}

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (req.method === 'GET' && path === '/api/stream') {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket.setNoDelay(true);
    res.write('retry: 3000\n\n');
    res.write(`data: ${JSON.stringify({ type: 'snapshot', position })}\n\n`);
    clients.add(res);
    res.on('close', () => clients.delete(res));
    return;
  }
  if (req.method === 'POST' && path === '/api/emit') {
    req.resume();
    req.on('end', () => {
      const buffer = frame();
      for (const client of clients) client.write(buffer);
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ position }));
    });
    return;
  }
  if (req.method === 'GET' && path === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', activeClients: clients.size, eventLogPosition: position, rssBytes: process.memoryUsage().rss }));
    return;
  }
  res.writeHead(404).end();
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  for (const client of clients) client.end();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});
