import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/public.decorator';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { OwnMetrics } from './own-metrics';

function bearerMatches(expected: string, header: string | undefined): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics: Prometheus text exposition of Vigil's own metrics. Needs no
 * session (scrapers have none); with `auth.scrapeToken` set it needs that bearer token.
 */
@Public()
@Controller('metrics')
export class PrometheusController {
  constructor(
    @Inject(OwnMetrics) private readonly metrics: OwnMetrics,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    const token = this.config.auth.scrapeToken;
    if (token && !bearerMatches(token, authorization))
      throw new UnauthorizedException({ message: 'missing or wrong bearer token (auth.scrapeToken)' });
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.send(await this.metrics.registry.metrics());
  }
}
