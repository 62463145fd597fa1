// Minimal JSON over HTTP for the benchmark drivers (127.0.0.1 only).
import http from 'node:http';

// Idle sockets are dropped after 2 s, well before the server's 5 s keep-alive timeout,
// so a request never goes out on a socket the server is closing (ECONNRESET).
export const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 2_000 });
/** One connection per request, for the occasional health probe. */
const plainAgent = new http.Agent({ keepAlive: false });

/** `headers` are sent as given (e.g. the bench server's `authorization`). */
export function request(url, { method = 'GET', body, headers = {}, agent = plainAgent, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function getJson(url, options) {
  let res;
  try {
    res = await request(url, options);
  } catch (error) {
    if (error.code !== 'ECONNRESET') throw error;
    res = await request(url, options); // GET is safe to repeat once
  }
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return JSON.parse(res.text);
}

export const PING = { type: 'ping', target: 'vigil', environment: 'staging', params: {} };

export async function postPing(base, agent, headers = {}) {
  const res = await request(`${base}/api/commands`, { method: 'POST', body: PING, agent, headers });
  if (res.status !== 202) throw new Error(`POST /api/commands: ${res.status} ${res.text.slice(0, 200)}`);
  return JSON.parse(res.text);
}
