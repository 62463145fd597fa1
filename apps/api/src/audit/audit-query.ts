import { z } from 'zod';
import { AUDIT_OUTCOMES, type AuditOutcome } from '@vigil/shared';

/** What GET /api/audit and its export filter on. Times are normalised ISO strings. */
export interface AuditFilter {
  actor?: string;
  type?: string;
  target?: string;
  environment?: string;
  outcome?: AuditOutcome;
  /** accepted_at >= from */
  from?: string;
  /** accepted_at < to */
  to?: string;
}

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 500;

const CURSOR_PREFIX = 'a1:';
const CURSOR = /^[A-Za-z0-9_-]{1,40}$/;

/** Opaque to clients: base64url of a versioned accepted_position. */
export function encodeCursor(acceptedPosition: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${acceptedPosition}`, 'utf8').toString('base64url');
}

/** The accepted_position a cursor stands for, or undefined if it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  if (!CURSOR.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return undefined;
  const digits = text.slice(CURSOR_PREFIX.length);
  if (!/^[1-9]\d{0,14}$/.test(digits)) return undefined;
  return Number(digits);
}

const text = (max: number) => z.string().min(1).max(max);
/** An ISO-8601 date-time with an offset or Z, normalised to UTC milliseconds (how accepted_at is stored). */
const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

const filterShape = {
  actor: text(64).optional(),
  type: text(63).optional(),
  target: text(63).optional(),
  environment: text(63).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
};

function fromBeforeTo(query: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  }
}

/** Query of GET /api/audit. Strict: an unknown key is a 400, not silently ignored. */
export const auditListQuerySchema = z
  .strictObject({
    ...filterShape,
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `must be an integer from 1 to ${AUDIT_MAX_LIMIT}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(AUDIT_MAX_LIMIT))
      .default(AUDIT_DEFAULT_LIMIT),
    cursor: z
      .string()
      .max(64)
      .transform((value, ctx) => {
        const position = decodeCursor(value);
        if (position === undefined) {
          ctx.addIssue({ code: 'custom', message: 'not a cursor from a previous page' });
          return z.NEVER;
        }
        return position;
      })
      .optional(),
  })
  .superRefine(fromBeforeTo);

export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** Query of GET /api/audit/export: the same filters, no limit or cursor, and the format. */
export const auditExportQuerySchema = z
  .strictObject({
    ...filterShape,
    format: z.enum(AUDIT_EXPORT_FORMATS).default('ndjson'),
  })
  .superRefine(fromBeforeTo);

export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;

export function toAuditFilter(query: AuditFilter): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of ['actor', 'type', 'target', 'environment', 'outcome', 'from', 'to'] as const) {
    if (query[key] !== undefined) (filter as Record<string, string>)[key] = query[key];
  }
  return filter;
}
