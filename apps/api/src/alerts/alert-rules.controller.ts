<<<<<<< HEAD
import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { alertRuleSchema, alertRulesQuerySchema, nameSchema, type AlertRuleChangedData, type AlertRulesResponse } from '@vigil/shared';
import type { Request } from 'express';
import { RequireCapability } from '../auth/require-capability.decorator';
import { requestMeta } from '../common/request-meta';
import { parseOrThrow } from '../common/validation';
import { AlertsService } from './alerts.service';
=======
import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { AlertRulesResponse } from '@vigil/shared';
import { parseOrThrow } from '../common/validation';
import { alertRulesQuerySchema } from './alert-rules-query';
import { AlertsReadModel } from './alerts-read-model';
>>>>>>> wt/apigraph

/** GET /api/alert-rules (`?at=` for the rules in force then): served by the live server and a review server alike. */
@Controller('api/alert-rules')
export class AlertRulesController {
  constructor(@Inject(AlertsReadModel) private readonly alerts: AlertsReadModel) {}

  @Get()
  async list(@Query() rawQuery: unknown): Promise<AlertRulesResponse> {
    const { at } = parseOrThrow(alertRulesQuerySchema, rawQuery ?? {}, 'query');
    return { rules: at === undefined ? this.alerts.ruleList() : await this.alerts.rulesAt(new Date(at)) };
  }
<<<<<<< HEAD

  @Post()
  @HttpCode(201)
  @RequireCapability('alerts.manage')
  async create(@Body() body: unknown, @Req() request: Request): Promise<RuleChangeResponse> {
    const rule = parseOrThrow(alertRuleSchema, body ?? null, 'body');
    const event = await this.alerts.changeRule('created', rule.name, rule, requestMeta(request));
    return { name: rule.name, rule, change: 'created', position: event.position };
  }

  @Put(':name')
  @RequireCapability('alerts.manage')
  async update(@Param('name') name: string, @Body() body: unknown, @Req() request: Request): Promise<RuleChangeResponse> {
    const ruleName = parseOrThrow(nameSchema, name, 'name');
    const given = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (given?.name !== undefined && given.name !== ruleName) {
      throw new BadRequestException({
        message: 'invalid body',
        details: [{ path: 'body.name', message: `must be ${ruleName} (the name in the path) or left out` }],
      });
    }
    const rule = parseOrThrow(alertRuleSchema, given ? { ...given, name: ruleName } : (body ?? null), 'body');
    const event = await this.alerts.changeRule('updated', ruleName, rule, requestMeta(request));
    return { name: ruleName, rule, change: 'updated', position: event.position };
  }

  @Delete(':name')
  @RequireCapability('alerts.manage')
  async remove(@Param('name') name: string, @Req() request: Request): Promise<RuleChangeResponse> {
    const ruleName = parseOrThrow(nameSchema, name, 'name');
    const event = await this.alerts.changeRule('deleted', ruleName, null, requestMeta(request));
    return { name: ruleName, rule: null, change: 'deleted', position: event.position };
  }
=======
>>>>>>> wt/apigraph
}
