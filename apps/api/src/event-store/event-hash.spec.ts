import { createHash } from 'node:crypto';
import { canonicalEnvelope, chainHash, chainRows, GENESIS_HASH, type HashableRow } from './event-hash';

const row: HashableRow = {
  position: 7,
  stream: 'command-é"1',
  version: 3,
  type: 'command.output',
  time: '2026-01-01T00:00:00.000Z',
  dataJson: '{"commandId":"1","text":"流 \\u0000"}',
  metaJson: '{"correlationId":"c"}',
};

describe('the hash chain', () => {
  it('is sha256 over the previous hash then the canonical envelope, as it always was', () => {
    const twoUpdates = createHash('sha256').update(GENESIS_HASH).update(canonicalEnvelope(row)).digest('hex');
    expect(chainHash(GENESIS_HASH, row)).toBe(twoUpdates);
  });

  it('chains one append onto the head: dense positions, versions after the stream’s, each hash from the one before', () => {
    const head = { position: 41, hash: chainHash(GENESIS_HASH, row) };
    const rows = chainRows(head, 5, row.time, {
      stream: 's',
      events: [{ type: 'a' }, { type: 'b' }, { type: 'c' }],
      dataJsons: ['{"n":1}', '{"n":2}', '{"n":3}'],
      metaJson: '{}',
    });
    expect(rows.map((r) => [r.position, r.version, r.type, r.dataJson])).toEqual([
      [42, 6, 'a', '{"n":1}'],
      [43, 7, 'b', '{"n":2}'],
      [44, 8, 'c', '{"n":3}'],
    ]);
    let previous = head.hash;
    for (const chained of rows) {
      expect(chained.hash).toBe(chainHash(previous, chained));
      previous = chained.hash;
    }
  });
});
