import type { AuditEntry } from '@vigil/shared';
import { AUDIT_CSV_COLUMNS, CSV_HEADER, csvField, csvRow, exportFileName, ndjsonRow } from './audit-format';

const entry: AuditEntry = {
  commandId: 'c-1',
  acceptedPosition: 7,
  acceptedAt: '2026-01-01T00:00:00.000Z',
  actor: 'alice',
  actorId: 'alice',
  ip: '127.0.0.1',
  type: 'ping',
  target: 'vigil',
  environment: 'staging',
  params: { note: 'a, "b"' },
  outcome: 'failed',
  reason: 'line one\r\nline two',
  exitCode: -1,
  durationMs: 12,
  finishedAt: null,
  lastPosition: 9,
};

describe('audit CSV and NDJSON formatting', () => {
  it('leaves plain fields alone and writes null as empty', () => {
    expect(csvField('alice')).toBe('alice');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvField('')).toBe('');
  });

  it('quotes fields with a comma, a quote, CR or LF and doubles the quotes (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\rtwo')).toBe('"one\rtwo"');
    expect(csvField('"')).toBe('""""');
  });

  it("prefixes ' to text starting with = + - @ tab or CR (CSV formula injection)", () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvField('a=b')).toBe('a=b');
  });

  it('does not guard numbers: a negative exit code stays a number', () => {
    expect(csvField(-1)).toBe('-1');
  });

  it('writes a header and one CRLF-terminated row per entry in column order', () => {
    expect(CSV_HEADER).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    expect(csvRow(entry)).toBe(
      'c-1,7,2026-01-01T00:00:00.000Z,alice,alice,127.0.0.1,ping,vigil,staging,"{""note"":""a, \\""b\\""""}",failed,"line one\r\nline two",-1,12,,9\r\n',
    );
  });

  it('writes NDJSON as one JSON object per line', () => {
    const line = ndjsonRow(entry);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual(entry);
  });

  it('names the file vigil-audit-<timestamp>.<ext> without colons', () => {
    expect(exportFileName('csv', new Date('2026-05-01T12:34:56.789Z'))).toBe('vigil-audit-2026-05-01T12-34-56-789Z.csv');
    expect(exportFileName('ndjson', new Date('2026-05-01T12:34:56.789Z'))).toBe('vigil-audit-2026-05-01T12-34-56-789Z.ndjson');
  });
});
