// Enrolling hosts on a bench server (POST /api/hosts as its admin).
import { readFileSync } from 'node:fs';
import { request } from './http.mjs';

export async function enrolHost(server, name) {
  const res = await request(`${server.base}/api/hosts`, { method: 'POST', body: { name, labels: {} }, headers: server.headers });
  if (res.status !== 201) throw new Error(`enrolling ${name}: ${res.status} ${res.text}`);
  return JSON.parse(res.text).token;
}

/** RSS of a process in bytes, from /proc/<pid>/status. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}
