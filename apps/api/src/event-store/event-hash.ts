import { hash as oneShotHash } from 'node:crypto';

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

/** A row of the log with its link in the chain. */
export interface ChainedRow extends HashableRow {
  hash: string;
}

/**
 * The canonical JSON of an event without its hash. Keys are in sorted order
 * (data, meta, position, stream, time, type, version), and data/meta are already
 * canonical, so this equals canonicalJson() of the envelope without re-parsing.
 */
export function canonicalEnvelope(row: HashableRow): string {
  return envelope(row, JSON.stringify(row.stream), JSON.stringify(row.time), JSON.stringify(row.type));
}

/** The envelope with its string members already as JSON text (chainRows quotes each once per append). */
function envelope(row: HashableRow, streamJson: string, timeJson: string, typeJson: string): string {
  return (
    `{"data":${row.dataJson},"meta":${row.metaJson},"position":${row.position},` +
    `"stream":${streamJson},"time":${timeJson},"type":${typeJson},"version":${row.version}}`
  );
}

/**
 * sha256(previous hash + canonical JSON of the event), hex. One-shot hashing of
 * the concatenation: the same digest as two updates, a third of the cost.
 */
export function chainHash(previousHash: string, row: HashableRow): string {
  return link(previousHash, canonicalEnvelope(row));
}

/** One link of the chain: the hash of the previous link's hash followed by the envelope's text. */
function link(previousHash: string, envelopeText: string): string {
  return oneShotHash('sha256', previousHash + envelopeText, 'hex');
}

/** One append's events as the stores queue them: serialised in the caller's turn. */
export interface ChainableAppend {
  stream: string;
  events: readonly { type: string }[];
  /** Each event's data as canonical JSON (the hash covers exactly this text). */
  dataJsons: readonly string[];
  metaJson: string;
}

/**
 * The rows of one append, chained onto the log's head: positions continue from
 * `head.position`, versions from the stream's `version`, each hash from the one
 * before (`head.hash` first); every row has the commit's `time`. Both engines
 * write through this, so their chains are the same by construction. The new
 * head is the last row.
 */
export function chainRows(head: { position: number; hash: string }, version: number, time: string, append: ChainableAppend): ChainedRow[] {
  const { stream, events, dataJsons, metaJson } = append;
  const rows = new Array<ChainedRow>(events.length);
  const streamJson = JSON.stringify(stream);
  const timeJson = JSON.stringify(time);
  let position = head.position;
  let hash = head.hash;
  for (let index = 0; index < events.length; index++) {
    position += 1;
    const type = events[index].type;
    const row: ChainedRow = { position, stream, version: version + index + 1, type, time, dataJson: dataJsons[index], metaJson, hash: '' };
    // As chainHash(hash, row), with the stream and time quoted once.
    hash = link(hash, envelope(row, streamJson, timeJson, JSON.stringify(type)));
    row.hash = hash;
    rows[index] = row;
  }
  return rows;
}
