import type { AuditEntry, AuditExportFormat } from '@vigil/shared';

/** CSV columns, in order; the header row uses these names. */
export const AUDIT_CSV_COLUMNS = [
  'commandId',
  'acceptedPosition',
  'acceptedAt',
  'actor',
  'actorId',
  'ip',
  'type',
  'target',
  'environment',
  'params',
  'outcome',
  'reason',
  'exitCode',
  'durationMs',
  'finishedAt',
  'lastPosition',
] as const satisfies readonly (keyof AuditEntry)[];

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field (RFC 4180): null and undefined are empty; numbers are written as
 * they are; text that starts with = + - @ (or a tab or CR) gets a leading `'` so
 * Excel, LibreOffice and Sheets show it as text instead of evaluating it
 * (CSV formula injection: an actor name or reason such as `=HYPERLINK(...)`).
 * Only text is guarded, so a negative exit code stays a number. Then, a field with
 * a comma, a double quote, CR or LF is quoted, with its quotes doubled.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows end with CRLF, as RFC 4180 says. */
export const CSV_HEADER = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;

export function csvRow(entry: AuditEntry): string {
  let line = '';
  for (let i = 0; i < AUDIT_CSV_COLUMNS.length; i++) {
    const column = AUDIT_CSV_COLUMNS[i];
    const value = column === 'params' ? JSON.stringify(entry.params) : entry[column];
    line += i === 0 ? csvField(value) : `,${csvField(value)}`;
  }
  return `${line}\r\n`;
}

export function ndjsonRow(entry: AuditEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

export const EXPORT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** `vigil-audit-2026-05-01T12-00-00-000Z.csv`: no characters a file system or header dislikes. */
export function exportFileName(format: AuditExportFormat, now = new Date()): string {
  return `vigil-audit-${now.toISOString().replace(/[:.]/g, '-')}.${format}`;
}
