import type { AddressInfo } from 'node:net';

/** `http://host:port` of what a server is bound to (not a guess such as localhost). */
export function listeningUrl(address: AddressInfo | string | null, fallbackPort: number): string {
  if (typeof address !== 'object' || !address) return `http://localhost:${fallbackPort}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const all = address.address === '0.0.0.0' || address.address === '::' ? ' (all interfaces)' : '';
  return `http://${host}:${address.port}${all}`;
}
