import { BadRequestException, Controller, Get, Inject, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { streamQuerySchema } from '@vigil/shared';
import { sessionOf } from '../common/session-user';
import type { Request, Response } from 'express';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { parseOrThrow } from '../common/validation';
import { StreamHub } from './stream-hub.service';
import { accessFor } from '../sse/stream-access';
import { assertViewableEnvironment } from '../sse/stream-environment';
import { toStreamFilter } from '../sse/stream-query';

const LAST_EVENT_ID = /^\d{1,15}$/;

/**
 * GET /api/stream. Written against the raw response rather than @Sse(): Nest's
 * SseStream numbers every message that has no id, which would give live-only
 * messages (snapshot, metrics) an `id:` and corrupt Last-Event-ID, and it formats
 * each message per client. The hub builds each frame once and bounds each socket.
 */
@Controller('api/stream')
export class StreamController {
  constructor(
    @Inject(StreamHub) private readonly hub: StreamHub,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  @Get()
  stream(@Query() rawQuery: unknown, @Req() request: Request, @Res() response: Response): void {
    const session = sessionOf(request);
    if (!session) throw new UnauthorizedException({ message: 'sign in first' });
    const { user } = session;
    const query = parseOrThrow(streamQuerySchema, rawQuery, 'query');
    assertViewableEnvironment(this.config.environments, user, query.environment);
    const header = request.header('last-event-id');
    if (header !== undefined && !LAST_EVENT_ID.test(header)) {
      throw new BadRequestException({
        message: 'invalid Last-Event-ID header',
        details: [{ path: 'Last-Event-ID', message: 'must be a non-negative integer' }],
      });
    }
    const resumeFrom = header ?? query.lastEventId;
    this.hub.open(response, {
      filter: toStreamFilter(query),
      access: accessFor(user, session.jti),
      lastEventId: resumeFrom === undefined ? undefined : Number(resumeFrom),
    });
  }
}
