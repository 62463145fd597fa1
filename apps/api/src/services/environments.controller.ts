import { Controller, Get, Inject, Req } from '@nestjs/common';
import { can, type EnvironmentsResponse } from '@vigil/shared';
import type { Request } from 'express';
import { userOf } from '../common/session-user';
import { EnvironmentCatalog } from '../config/environment-catalog';

/**
 * GET /api/environments: what the header's environment switcher offers. From the
 * catalog (the config), not from the services, so an environment without services yet is listed too.
 */
@Controller('api/environments')
export class EnvironmentsController {
  constructor(@Inject(EnvironmentCatalog) private readonly catalog: EnvironmentCatalog) {}

  @Get()
  list(@Req() request: Request): EnvironmentsResponse {
    const user = userOf(request);
    const environments = this.catalog.environments
      .filter((env) => can(user, { kind: 'view', environment: env.name }))
      .map((env) => (env.label === undefined ? { name: env.name } : { name: env.name, label: env.label }));
    return { environments };
  }
}
