import { z } from 'zod';
import { AUDIT_DEFAULT_LIMIT, AUDIT_EXPORT_FORMATS, AUDIT_MAX_LIMIT, AUDIT_OUTCOMES } from './audit';
import { decodeCursor } from './audit-cursor';

/** Queries of GET /api/audit and GET /api/audit/export. */

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

/** Query of GET /api/audit/export: the same filters, no limit or cursor, and the format. */
export const auditExportQuerySchema = z
  .strictObject({
    ...filterShape,
    format: z.enum(AUDIT_EXPORT_FORMATS).default('ndjson'),
  })
  .superRefine(fromBeforeTo);

export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;
