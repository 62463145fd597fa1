import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashableRow {
  position: number;
  stream: string;
  version: number;
  type: string;
  time: string;
  /** Canonical JSON text, exactly as stored. */
  dataJson: string;
  metaJson: string;
}

/**
 * The canonical JSON of an event without its hash. Keys are in sorted order
 * (data, meta, position, stream, time, type, version), and data/meta are already
 * canonical, so this equals canonicalJson() of the envelope without re-parsing.
 */
export function canonicalEnvelope(row: HashableRow): string {
  return (
    `{"data":${row.dataJson},"meta":${row.metaJson},"position":${row.position},` +
    `"stream":${JSON.stringify(row.stream)},"time":${JSON.stringify(row.time)},` +
    `"type":${JSON.stringify(row.type)},"version":${row.version}}`
  );
}

/** sha256(previous hash + canonical JSON of the event), hex. */
export function chainHash(previousHash: string, row: HashableRow): string {
  return createHash('sha256').update(previousHash).update(canonicalEnvelope(row)).digest('hex');
}
