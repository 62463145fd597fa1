import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { markersQuerySchema, replayQuerySchema, type ReplayInfo, type ReplayMarkersResponse } from '@vigil/shared';
import type { Request, Response } from 'express';
import { RequireCapability } from '../auth/require-capability.decorator';
import { sessionOf } from '../auth/session-user';
import { parseOrThrow } from '../common/validation';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { accessFor } from '../streaming/stream-access';
import { assertViewableEnvironment } from '../streaming/stream-environment';
import { toReplayRequest } from './replay-query';
import { ReplayService } from './replay.service';

/**
 * GET /api/replay (SSE of a past window), /api/replay/markers and /api/replay/info.
 * Needs the `replay` capability; what a replay shows is then filtered by the role
 * exactly as /api/stream is.
 */
@Controller('api/replay')
@RequireCapability('replay')
export class ReplayController {
  private readonly maxWindowMs: number;

  constructor(
    @Inject(ReplayService) private readonly replays: ReplayService,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {
    this.maxWindowMs = config.replay.maxWindowHours * 3_600_000;
  }

  @Get()
  async replay(@Query() rawQuery: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const session = sessionOf(request)!;
    const query = parseOrThrow(replayQuerySchema(this.maxWindowMs), rawQuery, 'query');
    assertViewableEnvironment(this.config, session.user, query.environment);
    await this.replays.play(response, toReplayRequest(query), accessFor(session.user, session.jti));
  }

  @Get('markers')
  async markers(@Query() rawQuery: unknown, @Req() request: Request): Promise<ReplayMarkersResponse> {
    const session = sessionOf(request)!;
    const query = parseOrThrow(markersQuerySchema(this.maxWindowMs), rawQuery, 'query');
    assertViewableEnvironment(this.config, session.user, query.environment);
    const from = new Date(query.from);
    const to = new Date(query.to);
    const { markers, truncated } = await this.replays.markers(from, to, query.environment, accessFor(session.user, session.jti));
    return { from: from.toISOString(), to: to.toISOString(), markers, truncated };
  }

  @Get('info')
  info(): Promise<ReplayInfo> {
    return this.replays.info();
  }
}
