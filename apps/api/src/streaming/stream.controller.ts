import { Controller, Get, Inject, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { sessionOf } from '../common/session-user';
import type { Request, Response } from 'express';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { StreamHub } from './stream-hub.service';
import { streamRequestOf } from './stream-request';

/**
 * GET /api/stream. Written against the raw response rather than @Sse(): Nest's
 * SseStream numbers every message that has no id, which would give live-only
 * messages (snapshot, metrics) an `id:` and corrupt Last-Event-ID, and it formats
 * each message per client. The hub builds each frame once and bounds each socket.
 *
 * Most streams never get here: the direct route (direct-stream-route.ts) opens
 * the ones signed in with a session and asking for something valid ahead of
 * Express. This route answers the rest: API tokens, and every refusal, in the
 * API's one error shape.
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
    this.hub.open(response, streamRequestOf(session, rawQuery, request.header('last-event-id'), this.config.environments));
  }
}
