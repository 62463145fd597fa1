// Commands through the API for scripts: submit, and wait for the final state.
import { request } from './http.mjs';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted', 'denied']);

/** POSTs a command; answers { commandId, position } or throws with the status and body. */
export async function submitCommand(base, headers, { type, target, environment, params = {} }) {
  const res = await request(`${base}/api/commands`, { method: 'POST', body: { type, target, environment, params }, headers });
  if (res.status !== 202) throw new Error(`${type} ${target} in ${environment}: ${res.status} ${res.text.slice(0, 200)}`);
  return JSON.parse(res.text);
}

/** Submits a command and polls GET /api/commands/:id until it ends; answers the final view. */
export async function runCommand(base, headers, body, timeoutMs = 60_000) {
  const { commandId } = await submitCommand(base, headers, body);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(`${base}/api/commands/${commandId}`, { headers });
    const view = JSON.parse(res.text);
    if (TERMINAL.has(view.state)) return view;
    if (Date.now() > deadline) throw new Error(`${body.type} ${body.target} still ${view.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until every configured service runs (or throws after timeoutMs). */
export async function servicesRunning(base, headers, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(`${base}/api/services`, { headers });
    const services = res.status === 200 ? JSON.parse(res.text) : [];
    if (services.length > 0 && services.every((service) => service.status === 'running')) return services;
    if (Date.now() > deadline) throw new Error(`services not all running after ${timeoutMs} ms: ${res.text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
