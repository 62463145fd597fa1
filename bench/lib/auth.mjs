// Signing in to a server that has authentication (POST /api/auth/login as the first
// admin, whose password lib/server.mjs sets through VIGIL_ADMIN_PASSWORD), and
// JSON requests / one SSE stream that carry the resulting `Authorization: Bearer`.
// Against a build without /api/auth the headers are simply empty.
import http from 'node:http';
import { request } from './http.mjs';

export const BENCH_ADMIN_PASSWORD = 'vigil-bench-admin-password';

/** One connection per request unless the caller passes a keep-alive agent. */
const plainAgent = new http.Agent({ keepAlive: false });

/** lib/http.mjs request() with the caller's headers; kept under this name for the benches that use it. */
export const requestWith = request;

export async function getJsonWith(url, headers) {
  const res = await requestWith(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text.slice(0, 200)}`);
  return JSON.parse(res.text);
}

/** { authorization: 'Bearer …' } for the admin, or {} when the server has no /api/auth. */
export async function adminHeaders(base, password = BENCH_ADMIN_PASSWORD) {
  const res = await requestWith(`${base}/api/auth/login`, { method: 'POST', body: { username: 'admin', password } });
  if (res.status === 404) return {};
  if (res.status !== 200 && res.status !== 201) throw new Error(`login as admin: ${res.status} ${res.text.slice(0, 200)}`);
  return { authorization: `Bearer ${JSON.parse(res.text).accessToken}` };
}

/**
 * One SSE stream over node:http with extra headers. onMessage(data, id) per message
 * with a data line; resolves once the 200 headers arrived. Returns { close }.
 */
export function openSseWith(url, { headers = {}, onMessage, onClose }) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { ...headers, accept: 'text/event-stream' }, agent: plainAgent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url}: ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id;
          let data;
          for (const line of frame.split('\n')) {
            if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data = data === undefined ? line.slice(6) : `${data}\n${line.slice(6)}`;
          }
          if (data !== undefined) onMessage(data, id);
        }
      });
      res.on('close', () => onClose?.());
      resolve({ close: () => req.destroy() });
    });
    req.on('error', (error) => {
      reject(error);
      onClose?.(error);
    });
  });
}
