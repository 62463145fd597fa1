import { Controller, ForbiddenException, Get, Inject, NotFoundException, Query, Req } from '@nestjs/common';
import { can, serviceKey, servicesQuerySchema, type ServiceView } from '@vigil/shared';
import type { Request } from 'express';
import { userOf } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { EnvironmentCatalog } from '../config/environment-catalog';
import { serviceSummary, type ServiceSummary } from './service-summary';
import { ServicesReadModel } from './services-read-model';

/** GET /api/services: every known service with its state as the events tell it. */
@Controller('api/services')
export class ServicesController {
  constructor(
    @Inject(EnvironmentCatalog) private readonly catalog: EnvironmentCatalog,
    @Inject(ServicesReadModel) private readonly readModel: ServicesReadModel,
  ) {}

  @Get()
  list(@Query() rawQuery: unknown, @Req() request: Request): ServiceSummary[] {
    const { environment } = parseOrThrow(servicesQuerySchema, rawQuery, 'query');
    const user = userOf(request);
    if (environment !== undefined && !this.catalog.environments.some((env) => env.name === environment)) {
      throw new NotFoundException({ message: `unknown environment "${environment}"` });
    }
    if (environment !== undefined && !can(user, { kind: 'view', environment })) {
      throw new ForbiddenException({ message: `you may not view ${environment}` });
    }
    // Without an environment: every environment the role may view.
    const environments = this.catalog.environments.filter(
      (env) => (environment === undefined || env.name === environment) && can(user, { kind: 'view', environment: env.name }),
    );
    const services = this.readModel.services();
    const now = this.readModel.now();
    const declared = Object.values(this.readModel.hosts()).filter((host) => host.status !== 'revoked');
    return environments.flatMap((env) => [
      ...env.services.map((service) => {
        const view: ServiceView = services[serviceKey(env.name, service.name)] ?? {
          environment: env.name,
          service: service.name,
          version: '1.0.0',
          desiredInstances: service.instances,
          instances: [],
          restarts: 0,
          position: 0,
        };
        const summary = serviceSummary(view, now);
        return service.host === undefined ? summary : { ...summary, host: service.host };
      }),
      // Services the agents declared in this environment, each with its host.
      ...declared.flatMap((host) =>
        host.services
          .filter((service) => service.environment === env.name)
          .map((service) => {
            const view: ServiceView = services[serviceKey(env.name, service.service)] ?? {
              environment: env.name,
              service: service.service,
              version: '1.0.0',
              desiredInstances: 0,
              instances: [],
              restarts: 0,
              position: 0,
            };
            return serviceSummary({ ...view, host: host.name }, now);
          }),
      ),
    ]);
  }
}
