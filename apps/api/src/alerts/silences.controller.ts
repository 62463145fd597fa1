import { Controller, Get, Inject, Req } from '@nestjs/common';
import { can, type SilenceView } from '@vigil/shared';
import type { Request } from 'express';
import { userOf } from '../common/session-user';
import { AlertsReadModel } from './alerts-read-model';

/** GET /api/silences: the matcher silences the caller may view, on the live server and a review server alike. */
@Controller('api/silences')
export class SilencesController {
  constructor(@Inject(AlertsReadModel) private readonly alerts: AlertsReadModel) {}

  @Get()
  list(@Req() request: Request): { silences: SilenceView[] } {
    const user = userOf(request);
    return {
      silences: this.alerts.silenceList().filter((silence) => can(user, { kind: 'view', environment: silence.matchers.environment })),
    };
  }
}
