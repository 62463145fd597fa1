import { decodeCursor, encodeCursor } from './audit-cursor';

/** The Buffer-based codec the API used before the cursor moved into the contract: the pure one must agree with it. */
const bufferEncode = (position: number): string => Buffer.from(`a1:${position}`, 'utf8').toString('base64url');
const bufferDecode = (cursor: string): number | undefined => {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith('a1:') && /^[1-9]\d{0,14}$/.test(text.slice(3)) ? Number(text.slice(3)) : undefined;
};

describe('audit cursor', () => {
  it('encodes as base64url of "a1:<position>", like Buffer', () => {
    for (const position of [1, 9, 10, 99, 12345, 1_000_000, 999_999_999_999_999]) {
      expect(encodeCursor(position)).toBe(bufferEncode(position));
    }
  });

  it('decodes what Buffer decodes, and rejects what it rejects', () => {
    const cursors = [1, 42, 12345, 987_654_321].flatMap((position) => {
      const cursor = bufferEncode(position);
      return [cursor, cursor.slice(0, -1), `${cursor}A`, `${cursor}AB`, cursor.slice(1), cursor.replace(/.$/, '_')];
    });
    cursors.push(
      Buffer.from('a1:0').toString('base64url'),
      Buffer.from('a1:01').toString('base64url'),
      Buffer.from('a1:1234567890123456').toString('base64url'),
      Buffer.from('a1:\u00e9').toString('base64url'),
      Buffer.from([0x61, 0x31, 0x3a, 0xff, 0x31]).toString('base64url'),
      '_-_-',
      'A',
    );
    for (const cursor of cursors) expect({ cursor, position: decodeCursor(cursor) }).toEqual({ cursor, position: bufferDecode(cursor) });
  });
});
