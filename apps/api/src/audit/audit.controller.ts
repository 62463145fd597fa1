import { Controller, Get, Inject, Logger, Query, Res } from '@nestjs/common';
import { RequireCapability } from '../auth/require-capability.decorator';
import type { Response } from 'express';
import { parseOrThrow } from '../common/validation';
import { EventStore, type VerifyResult } from '../event-store/event-store';
import { auditExportQuerySchema, auditListQuerySchema, encodeCursor, type AuditPage } from '@vigil/shared';
import { writeExport } from './audit-export';
import { toAuditFilter } from './audit-query';
import { AuditProjection } from './audit.projection';

/** Rows per query when exporting. */
const EXPORT_PAGE_ROWS = 1_000;
/** How long a read waits for the projection to fold what the log has committed. */
const FRESHNESS_WAIT_MS = 2_000;

/**
 * The audit trail (admin only once auth lands). Reads wait (briefly) until the
 * projection has folded everything committed when the request arrived, so a
 * command acknowledged with 202 shows up in the very next answer.
 */
/** The audit trail is for holders of audit.read (admins by default). */
@RequireCapability('audit.read')
@Controller('api/audit')
export class AuditController {
  private readonly logger = new Logger('AuditExport');

  constructor(
    @Inject(AuditProjection) private readonly projection: AuditProjection,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  /** GET /api/audit: one page, newest first; `nextCursor` continues with older entries. */
  @Get()
  async list(@Query() rawQuery: unknown): Promise<AuditPage> {
    const query = parseOrThrow(auditListQuerySchema, rawQuery ?? {}, 'query');
    await this.projection.waitFor(this.store.position, FRESHNESS_WAIT_MS);
    const rows = await this.projection.reader.page(toAuditFilter(query), query.cursor, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const nextCursor = rows.length > query.limit ? encodeCursor(items[items.length - 1].acceptedPosition) : null;
    return { items, nextCursor };
  }

  /** GET /api/audit/export?format=ndjson|csv: every matching entry, newest first, streamed. */
  @Get('export')
  async export(@Query() rawQuery: unknown, @Res() response: Response): Promise<void> {
    const query = parseOrThrow(auditExportQuerySchema, rawQuery ?? {}, 'query');
    await this.projection.waitFor(this.store.position, FRESHNESS_WAIT_MS);
    const started = Date.now();
    const outcome = await writeExport(response, this.projection.reader.pages(toAuditFilter(query), EXPORT_PAGE_ROWS), query.format);
    const verb = outcome.aborted ? 'aborted by the client after' : 'sent';
    this.logger.log(`${query.format} export ${verb} ${outcome.rows} rows (${outcome.bytes} bytes) in ${Date.now() - started} ms`);
  }

  /** GET /api/audit/verify: re-hashes the whole chain of the event log. */
  @Get('verify')
  verify(): Promise<VerifyResult> {
    return this.store.verify();
  }
}
