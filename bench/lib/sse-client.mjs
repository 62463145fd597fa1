// A lightweight raw SSE client: net.connect, a hand-written HTTP/1.1 GET, then
// incremental parsing of the status line, chunked transfer coding and SSE frames.
// Strings are latin1 so that string length equals byte length.
import net from 'node:net';

/**
 * onMessage(data, id, frameBytes) is called per SSE message that has a data line
 * (comments/heartbeats are skipped). onReady() once the 200 headers arrived.
 * onClose(error?) once the socket is gone. `headers` (name → value, e.g. the bench
 * server's `authorization`) are added to the request.
 */
export function openSse({ port, path, host = '127.0.0.1', headers = {}, onReady, onMessage, onClose }) {
  const socket = net.connect({ port, host });
  socket.setNoDelay(true);
  socket.setEncoding('latin1');
  let phase = 'headers';
  let chunked = false;
  let raw = ''; // bytes not yet de-chunked
  let body = ''; // de-chunked SSE text not yet split into frames
  let chunkLeft = -1; // bytes left in the current chunk; -1 = expecting a size line

  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.on('connect', () => {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n${extra}\r\n`);
  });

  socket.on('data', (chunk) => {
    raw += chunk;
    if (phase === 'headers') {
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = raw.slice(0, end);
      raw = raw.slice(end + 4);
      if (!head.startsWith('HTTP/1.1 200')) {
        socket.destroy(new Error(`unexpected response: ${head.split('\r\n')[0]}`));
        return;
      }
      chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      phase = 'body';
      onReady?.();
    }
    if (chunked) dechunk();
    else {
      body += raw;
      raw = '';
    }
    frames();
  });

  function dechunk() {
    for (;;) {
      if (chunkLeft < 0) {
        const eol = raw.indexOf('\r\n');
        if (eol < 0) return;
        chunkLeft = parseInt(raw.slice(0, eol), 16);
        raw = raw.slice(eol + 2);
        if (chunkLeft === 0) {
          socket.end();
          return;
        }
      }
      if (raw.length < chunkLeft + 2) {
        // Take what is there of the chunk body; keep waiting for the rest.
        if (raw.length > 0 && raw.length <= chunkLeft) {
          body += raw;
          chunkLeft -= raw.length;
          raw = '';
        }
        return;
      }
      body += raw.slice(0, chunkLeft);
      raw = raw.slice(chunkLeft + 2);
      chunkLeft = -1;
    }
  }

  function frames() {
    let start = 0;
    for (;;) {
      const end = body.indexOf('\n\n', start);
      if (end < 0) break;
      const frame = body.slice(start, end);
      start = end + 2;
      const dataAt = frame.startsWith('data: ') ? 0 : frame.indexOf('\ndata: ') + 1;
      if (dataAt <= 0 && !frame.startsWith('data: ')) continue; // comment, retry
      const lineEnd = frame.indexOf('\n', dataAt);
      const data = frame.slice(dataAt + 6, lineEnd < 0 ? frame.length : lineEnd);
      const id = frame.startsWith('id: ') ? frame.slice(4, frame.indexOf('\n')) : undefined;
      onMessage(data, id, frame.length + 2);
    }
    if (start > 0) body = body.slice(start);
  }

  let closed = false;
  const close = (error) => {
    if (closed) return;
    closed = true;
    onClose?.(error);
  };
  socket.on('error', (error) => close(error));
  socket.on('close', () => close());
  return socket;
}

/** Milliseconds between the event's `time` (ISO, set at commit) and `now`. */
export function latencyFromData(data, now) {
  const at = data.lastIndexOf('"time":"'); // top-level time follows data and meta
  if (at < 0) return undefined;
  return now - Date.parse(data.slice(at + 8, at + 32));
}
