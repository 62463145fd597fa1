import { Controller, Get, Inject, Query } from '@nestjs/common';
import { alertRuleHistoryQuerySchema, type AlertRuleHistoryResponse } from '@vigil/shared';
import { parseOrThrow } from '../common/validation';
import { EventStore } from '../event-store/event-store';
import { alertRuleHistory } from './alert-rule-history';

/** GET /api/alert-rules/changes (`?name=`): how the rules changed at run time, by whom; everyone may read rules. */
@Controller('api/alert-rules/changes')
export class AlertRuleHistoryController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get()
  async list(@Query() rawQuery: unknown): Promise<AlertRuleHistoryResponse> {
    const { name } = parseOrThrow(alertRuleHistoryQuerySchema, rawQuery ?? {}, 'query');
    return { changes: await alertRuleHistory(this.store, name) };
  }
}
