import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { markersQuerySchema, replayQuerySchema, type ReplayInfo, type ReplayMarkersResponse } from '@vigil/shared';
import type { Request, Response } from 'express';
import { RequireCapability } from '../auth/require-capability.decorator';
import { requireSession } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { EnvironmentCatalog } from '../config/environment-catalog';
import { accessFor } from '../sse/stream-access';
import { assertViewableEnvironment } from '../sse/stream-environment';
import { toReplayRequest } from './replay-query';
import { ReplayService } from './replay.service';

/**
 * GET /api/replay (SSE of a past window), /api/replay/markers and /api/replay/info,
 * on the live server (over its log) and on a review server (over a bundle) alike.
 * Needs the `replay` capability; what a replay shows is then filtered by the role
 * exactly as /api/stream is.
 */
@Controller('api/replay')
@RequireCapability('replay')
export class ReplayController {
  constructor(
    @Inject(ReplayService) private readonly replays: ReplayService,
    @Inject(EnvironmentCatalog) private readonly catalog: EnvironmentCatalog,
  ) {}

  @Get()
  async replay(@Query() rawQuery: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { user, jti } = requireSession(request);
    const query = parseOrThrow(replayQuerySchema(this.replays.maxWindowMs), rawQuery, 'query');
    assertViewableEnvironment(this.catalog.environments, user, query.environment);
    await this.replays.play(response, toReplayRequest(query), accessFor(user, jti));
  }

  @Get('markers')
  async markers(@Query() rawQuery: unknown, @Req() request: Request): Promise<ReplayMarkersResponse> {
    const { user, jti } = requireSession(request);
    const query = parseOrThrow(markersQuerySchema(this.replays.maxWindowMs), rawQuery, 'query');
    assertViewableEnvironment(this.catalog.environments, user, query.environment);
    const from = new Date(query.from);
    const to = new Date(query.to);
    const { markers, truncated } = await this.replays.markers(from, to, query.environment, accessFor(user, jti));
    return { from: from.toISOString(), to: to.toISOString(), markers, truncated };
  }

  @Get('info')
  info(): Promise<ReplayInfo> {
    return this.replays.info();
  }
}
