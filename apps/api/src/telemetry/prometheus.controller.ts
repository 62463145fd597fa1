import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OwnMetrics } from './own-metrics';

/** GET /metrics: Prometheus text exposition of Vigil's own metrics. */
@Controller('metrics')
export class PrometheusController {
  constructor(@Inject(OwnMetrics) private readonly metrics: OwnMetrics) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.send(await this.metrics.registry.metrics());
  }
}
