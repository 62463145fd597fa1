import { Controller, ForbiddenException, Get, Inject, NotFoundException, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { userOf } from '../auth/session-user';
import { can, serviceKey, servicesQuerySchema, type ServiceView } from '@vigil/shared';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { parseOrThrow } from '../common/validation';
import { DashboardProjection } from '../streaming/dashboard.projection';
import { serviceSummary, type ServiceSummary } from './service-summary';

/** GET /api/services: every configured service with its state as the events tell it. */
@Controller('api/services')
export class ServicesController {
  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(DashboardProjection) private readonly dashboard: DashboardProjection,
  ) {}

  @Get()
  list(@Query() rawQuery: unknown, @Req() request: Request): ServiceSummary[] {
    const { environment } = parseOrThrow(servicesQuerySchema, rawQuery, 'query');
    const user = userOf(request);
    if (environment !== undefined && !this.config.environments.some((env) => env.name === environment)) {
      throw new NotFoundException({ message: `unknown environment "${environment}"` });
    }
    if (environment !== undefined && !can(user, { kind: 'view', environment })) {
      throw new ForbiddenException({ message: `you may not view ${environment}` });
    }
    // Without an environment: every environment the role may view.
    const environments = this.config.environments.filter(
      (env) => (environment === undefined || env.name === environment) && can(user, { kind: 'view', environment: env.name }),
    );
    const services = this.dashboard.current.services;
    const now = Date.now();
    return environments.flatMap((env) =>
      env.services.map((service) => {
        const view: ServiceView = services[serviceKey(env.name, service.name)] ?? {
          environment: env.name,
          service: service.name,
          version: '1.0.0',
          desiredInstances: service.instances,
          instances: [],
          restarts: 0,
          position: 0,
        };
        return serviceSummary(view, now);
      }),
    );
  }
}
