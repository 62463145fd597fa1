import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ackBodySchema,
  alertListQuerySchema,
  alertStreamOf,
  can,
  compareAlerts,
  foldAlert,
  idSchema,
  matcherSilenceBodySchema,
  recurringSilenceBodySchema,
  silenceBodySchema,
  type AlertView,
  type SessionUser,
  type SilenceMatchers,
  type SilenceSchedule,
  type SilenceView,
} from '@vigil/shared';
import type { Request } from 'express';
import { RequireCapability } from '../auth/require-capability.decorator';
import { userOf } from '../common/session-user';
import { requestMeta } from '../common/request-meta';
import { parseOrThrow } from '../common/validation';
import { EventStore } from '../event-store/event-store';
import { AlertsService, type AlertListItem } from './alerts.service';
import { cronProblem } from './recurring-windows';

/** Who acts: the routes that change alerts need a capability, so the AuthGuard has let a user through. */
function actingUser(request: Request): SessionUser {
  const user = userOf(request);
  if (!user) throw new UnauthorizedException({ message: 'sign in first' });
  return user;
}

function viewable(user: SessionUser | undefined, view: Pick<AlertView, 'environment'>): boolean {
  return can(user, { kind: 'view', environment: view.environment });
}

@Controller('api/alerts')
export class AlertsController {
  constructor(
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  /** Firing alerts first (newest first), then the rest, newest first. */
  @Get()
  list(@Query() query: unknown, @Req() request: Request): { alerts: AlertListItem[] } {
    const q = parseOrThrow(alertListQuerySchema, query ?? {}, 'query');
    const user = userOf(request);
    const from = q.from ? Date.parse(q.from) : -Infinity;
    const to = q.to ? Date.parse(q.to) : Infinity;
    const now = Date.now();
    const items = this.alerts
      .alerts()
      .filter((view) => viewable(user, view))
      .filter((view) => (q.severity ? view.severity === q.severity : true))
      .filter((view) => (q.environment ? view.environment === q.environment : true))
      .filter((view) => (q.rule ? view.rule === q.rule : true))
      .filter((view) => {
        const started = Date.parse(view.startedAt);
        const ended = view.resolvedAt ? Date.parse(view.resolvedAt) : Infinity;
        return started <= to && ended >= from;
      })
      .map((view) => this.alerts.listItem(view, now))
      .filter((item) => {
        switch (q.state) {
          case undefined:
            return true;
          case 'firing':
          case 'resolved':
            return item.state === q.state;
          case 'acknowledged':
            return item.acknowledged !== undefined;
          case 'silenced':
            return item.isSilenced;
        }
      })
      .sort(compareAlerts);
    return { alerts: items.slice(0, q.limit) };
  }

  /** One alert with its timeline, folded from its own stream. */
  @Get(':id')
  async get(@Param('id') id: string, @Req() request: Request): Promise<AlertListItem> {
    const view = await this.load(id, request);
    return this.alerts.listItem(view);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @RequireCapability('alerts.ack')
  async ack(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<AlertListItem> {
    const { comment, expiresMinutes } = parseOrThrow(ackBodySchema, body ?? {}, 'body');
    const view = await this.load(id, request);
    const expiresAt = expiresMinutes === undefined ? undefined : new Date(Date.now() + expiresMinutes * 60_000).toISOString();
    await this.alerts.acknowledge(view.alertId, actingUser(request).username, comment, requestMeta(request, view.environment), expiresAt);
    return this.alerts.listItem(await this.load(id, request));
  }

  @Post(':id/silence')
  @HttpCode(200)
  @RequireCapability('alerts.ack')
  async silence(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<AlertListItem> {
    const { until, reason } = parseOrThrow(silenceBodySchema, body ?? null, 'body');
    const view = await this.load(id, request);
    await this.alerts.silenceAlert(
      view.alertId,
      new Date(until).toISOString(),
      reason,
      actingUser(request).username,
      requestMeta(request, view.environment),
    );
    return this.alerts.listItem(await this.load(id, request));
  }

  private async load(id: string, request: Request): Promise<AlertView> {
    const alertId = parseOrThrow(idSchema, id, 'id');
    const view = foldAlert(await this.store.readStream(alertStreamOf(alertId)));
    if (!view) throw new NotFoundException({ message: `no alert ${alertId}` });
    if (!viewable(userOf(request), view)) throw new ForbiddenException({ message: `you may not view ${view.environment}` });
    return view;
  }
}

/** POST /api/silences: only the live server has it (GET, which a review server mounts too, is the SilencesController's). */
@Controller('api/silences')
export class SilenceChangesController {
  constructor(@Inject(AlertsService) private readonly alerts: AlertsService) {}

  @Post()
  @HttpCode(201)
  @RequireCapability('alerts.ack')
  async create(@Body() body: unknown, @Req() request: Request): Promise<SilenceView> {
    const { matchers, reason, until, schedule } = this.parse(body);
    const user = actingUser(request);
    if (!can(user, { kind: 'view', environment: matchers.environment })) {
      throw new ForbiddenException({ message: `you may not view ${matchers.environment}` });
    }
    return this.alerts.silenceMatching(matchers, until, reason, user.username, requestMeta(request, matchers.environment), schedule);
  }

  /** A one-off silence (`until`), or a recurring window (`schedule` + `durationMinutes`, for a year unless `until`). */
  private parse(body: unknown): { matchers: SilenceMatchers; reason: string; until: string; schedule?: SilenceSchedule } {
    if (typeof body !== 'object' || body === null || !('schedule' in body)) {
      const { matchers, until, reason } = parseOrThrow(matcherSilenceBodySchema, body ?? null, 'body');
      return { matchers, reason, until: new Date(until).toISOString() };
    }
    const parsed = parseOrThrow(recurringSilenceBodySchema, body, 'body');
    const problem = cronProblem(parsed.schedule);
    if (problem) throw new BadRequestException({ message: 'invalid body', details: [{ path: 'body.schedule', message: problem }] });
    const until = parsed.until ? Date.parse(parsed.until) : Date.now() + 365 * 24 * 3600 * 1000;
    return {
      matchers: parsed.matchers,
      reason: parsed.reason,
      until: new Date(until).toISOString(),
      schedule: { cron: parsed.schedule, durationMinutes: parsed.durationMinutes },
    };
  }
}
