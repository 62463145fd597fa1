import { decodeCursor, encodeCursor } from './audit-cursor';
import { auditExportQuerySchema, auditListQuerySchema } from './audit-schemas';

describe('audit query', () => {
  it('round-trips cursors and rejects anything else', () => {
    expect(decodeCursor(encodeCursor(12345))).toBe(12345);
    expect(decodeCursor('12345')).toBeUndefined();
    expect(decodeCursor(Buffer.from('a1:-3').toString('base64url'))).toBeUndefined();
    expect(decodeCursor('not a cursor!')).toBeUndefined();
  });

  it('defaults limit to 100, parses filters and normalises times to UTC milliseconds', () => {
    const query = auditListQuerySchema.parse({ actor: 'alice', from: '2026-01-01T01:00:00+01:00', cursor: encodeCursor(10) });
    expect(query).toEqual({ actor: 'alice', from: '2026-01-01T00:00:00.000Z', limit: 100, cursor: 10 });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ outcome: 'exploded' }, 'outcome'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
    [{ cursor: 'abc' }, 'cursor'],
    [{ actor: ['a', 'b'] }, 'actor'],
  ])('rejects %j at %s', (raw, path) => {
    const result = auditListQuerySchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('rejects unknown keys (strict)', () => {
    const result = auditListQuerySchema.safeParse({ user: 'alice' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].code).toBe('unrecognized_keys');
  });

  it('export takes the filters and a format but no limit or cursor', () => {
    expect(auditExportQuerySchema.parse({})).toEqual({ format: 'ndjson' });
    expect(auditExportQuerySchema.parse({ format: 'csv', type: 'ping' })).toEqual({ format: 'csv', type: 'ping' });
    expect(auditExportQuerySchema.safeParse({ format: 'xml' }).success).toBe(false);
    expect(auditExportQuerySchema.safeParse({ limit: '5' }).success).toBe(false);
  });
});
