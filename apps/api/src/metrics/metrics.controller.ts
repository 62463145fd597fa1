import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { can, historyQuerySchema, ingestBodySchema, type CatalogSource, type HistoryResponse } from '@vigil/shared';
import type { Request } from 'express';
import { Public } from '../auth/public.decorator';
import { userOf } from '../common/session-user';
import { timingSafeEqual } from 'node:crypto';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { parseOrThrow } from '../common/validation';
import { describeMetric } from './collectors/metric-units';
import { windowOf } from './history-query';
import { MetricsService, TIME_SERIES_STORE } from './metrics.service';
import { TimeSeriesStore } from './tsdb/time-series-store';
import { BadRequestException } from '@nestjs/common';

function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

@Controller('api/metrics')
export class MetricsController {
  constructor(
    @Inject(TIME_SERIES_STORE) private readonly tsdb: TimeSeriesStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  /** Known sources and their metric names, with units. */
  @Get('catalog')
  async catalog(@Req() request: Request): Promise<CatalogSource[]> {
    const user = userOf(request);
    const bySource = new Map<string, CatalogSource>();
    for (const entry of await this.tsdb.catalog()) {
      if (!can(user, { kind: 'view', environment: entry.key.environment })) continue;
      const id = `${entry.key.environment ?? '*'}/${entry.key.source}`;
      let source = bySource.get(id);
      if (!source) {
        source = { source: entry.key.source, ...(entry.key.environment ? { environment: entry.key.environment } : {}), metrics: [] };
        bySource.set(id, source);
      }
      source.metrics.push({ name: entry.key.metric, unit: entry.unit, kind: entry.kind });
    }
    for (const source of bySource.values()) source.metrics.sort((a, b) => a.name.localeCompare(b.name));
    return [...bySource.values()].sort((a, b) => `${a.environment ?? ''}/${a.source}`.localeCompare(`${b.environment ?? ''}/${b.source}`));
  }

  /** Points [t, avg, min, max] from the tier that fits the range, never more than maxPoints. */
  @Get('history')
  async history(@Query() rawQuery: unknown, @Req() request: Request): Promise<HistoryResponse> {
    const query = parseOrThrow(historyQuerySchema, rawQuery, 'query');
    if (query.environment !== undefined && !can(userOf(request), { kind: 'view', environment: query.environment })) {
      throw new ForbiddenException({ message: `you may not view ${query.environment}` });
    }
    const key = { environment: query.environment, source: query.source, metric: query.metric };
    const known = (await this.tsdb.catalog()).some(
      (entry) =>
        entry.key.source === key.source && entry.key.metric === key.metric && (entry.key.environment ?? undefined) === key.environment,
    );
    if (!known) {
      throw new BadRequestException({
        message: `unknown metric "${query.metric}" for source "${query.source}"${query.environment ? ` in ${query.environment}` : ''}`,
        details: [{ path: 'query.metric', message: 'not in GET /api/metrics/catalog' }],
      });
    }
    const { from, to } = windowOf(query);
    const result = await this.tsdb.query({ key, from, to, maxPoints: query.maxPoints });
    return {
      metric: query.metric,
      source: query.source,
      ...(query.environment ? { environment: query.environment } : {}),
      tier: result.tier,
      step: result.stepMs / 1000,
      from,
      to,
      points: result.points,
    };
  }

  /**
   * Samples pushed by outside agents: authenticated by the configured bearer token,
   * or by a session whose role has `metrics.ingest`.
   */
  @Public()
  @Post('ingest')
  @HttpCode(202)
  ingest(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: Request,
  ): { accepted: number } {
    if (!can(userOf(request), { kind: 'capability', capability: 'metrics.ingest' })) {
      const token = this.config.metrics.ingestToken;
      if (!token) throw new ForbiddenException({ message: 'metrics ingest is off: set metrics.ingestToken in the config' });
      if (!tokenMatches(token, authorization)) throw new UnauthorizedException({ message: 'missing or wrong bearer token' });
    }
    const { samples } = parseOrThrow(ingestBodySchema, body, 'body');
    const environments = new Set(this.config.environments.map((env) => env.name));
    const unknown = samples.findIndex((sample) => sample.environment !== undefined && !environments.has(sample.environment));
    if (unknown >= 0) {
      throw new BadRequestException({
        message: 'unknown environment',
        details: [{ path: `body.samples.${unknown}.environment`, message: 'not a configured environment' }],
      });
    }
    const now = new Date().toISOString();
    for (const sample of samples) {
      this.metrics.publish(
        {
          environment: sample.environment,
          source: sample.source,
          time: sample.time ? new Date(sample.time).toISOString() : now,
          values: sample.values,
        },
        describeMetric,
        'ingest',
      );
    }
    return { accepted: samples.length };
  }
}
