import { Controller, Get, Inject, Query } from '@nestjs/common';
import { alertRulesQuerySchema, type AlertRulesResponse } from '@vigil/shared';
import { parseOrThrow } from '../common/validation';
import { AlertsReadModel } from './alerts-read-model';

/** GET /api/alert-rules (`?at=` for the rules in force then): served by the live server and a review server alike. */
@Controller('api/alert-rules')
export class AlertRulesController {
  constructor(@Inject(AlertsReadModel) private readonly alerts: AlertsReadModel) {}

  @Get()
  async list(@Query() rawQuery: unknown): Promise<AlertRulesResponse> {
    const { at } = parseOrThrow(alertRulesQuerySchema, rawQuery ?? {}, 'query');
    return { rules: at === undefined ? this.alerts.ruleList() : await this.alerts.rulesAt(new Date(at)) };
  }
}
