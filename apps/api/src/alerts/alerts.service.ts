import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ALERT_EVENT_TYPES,
  ALERT_RULES_STREAM,
  alertSilencedAt,
  alertStreamOf,
  evolveAlert,
  silenceMatches,
  SILENCES_STREAM,
  type AlertRule,
  type AlertView,
  type EventMeta,
  type MetricSample,
  type NewEvent,
  type SilenceMatchers,
  type SilenceView,
  type StoredEvent,
} from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { Notifier } from '../notifications/notifier';
import { AlertEvaluator, type AlertEffect } from './alert-evaluator';
import { AlertRuleSet, alertRulesAt } from './alert-rule-set';

/** An alert as the API lists it: the folded view plus whether a silence covers it now. */
export interface AlertListItem extends AlertView {
  /** Its own silence or a matcher silence is in force: notifications are held back. */
  isSilenced: boolean;
  /** Matcher silences (ids) covering it now. */
  silencedBy: string[];
}

const FOLDED_TYPES = [...ALERT_EVENT_TYPES, 'alert-rule.changed', 'service.exited', 'service.started'];

/**
 * Alerting: rules (config, then the `alert-rules` stream folded over them), the
 * evaluator fed by samples, service events and a clock, the alert views and
 * silences (catch-up then follow, like the dashboard projection), and the hand-off
 * of committed `alert.raised` / `alert.resolved` to the Notifier.
 */
@Injectable()
export class AlertsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  private readonly rules: AlertRuleSet;
  private readonly views = new Map<string, AlertView>();
  private readonly silences = new Map<string, SilenceView>();
  private readonly evaluator = new AlertEvaluator(() => randomUUID());
  private position = 0;
  private pending: StoredEvent[] | undefined = [];
  private subscriptions: Subscription[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(Notifier) private readonly notifier: Notifier,
  ) {
    this.rules = new AlertRuleSet(config.alerts.rules);
  }

  async onModuleInit(): Promise<void> {
    this.subscriptions.push(
      this.store.events$.subscribe((event) => {
        if (this.pending) this.pending.push(event);
        else this.safely(() => this.apply(event, true));
      }),
    );
    for await (const event of this.store.read(1, { types: FOLDED_TYPES })) this.apply(event, false);
    const held = this.pending ?? [];
    this.pending = undefined;
    for (const event of held) this.safely(() => this.apply(event, true));
    // Alerts the log says are firing stay firing: no second raise after a restart.
    for (const view of this.views.values()) {
      if (view.state === 'firing') this.evaluator.restoreFiring(view.rule, view.environment, view.source, view.alertId);
    }
    this.subscriptions.push(this.metrics.samples$.subscribe((sample) => this.safely(() => this.onSample(sample))));
    const everyMs = this.config.alerts.checkIntervalSeconds * 1000;
    this.timer = setInterval(() => this.safely(() => this.emit(this.evaluator.onTick(Date.now(), this.ruleList()))), everyMs);
    this.timer.unref();
    this.logger.log(`${this.rules.size} alert rule(s), ${[...this.views.values()].filter((v) => v.state === 'firing').length} firing`);
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  // ---- reading ----

  ruleList(): AlertRule[] {
    return this.rules.list();
  }

  /** The rules in force at a past time: the config's with the log's changes up to then. */
  rulesAt(at: Date): Promise<AlertRule[]> {
    return alertRulesAt(this.config.alerts.rules, this.store, at);
  }

  rule(name: string): AlertRule | undefined {
    return this.rules.get(name);
  }

  alert(alertId: string): AlertView | undefined {
    return this.views.get(alertId);
  }

  listItem(view: AlertView, now = Date.now()): AlertListItem {
    const silencedBy = [...this.silences.values()]
      .filter((silence) => Date.parse(silence.until) > now && silenceMatches(silence.matchers, view))
      .map((silence) => silence.silenceId);
    return { ...view, isSilenced: alertSilencedAt(view, now) || silencedBy.length > 0, silencedBy };
  }

  alerts(): AlertView[] {
    return [...this.views.values()];
  }

  silenceList(now = Date.now()): SilenceView[] {
    return [...this.silences.values()]
      .map((silence) => ({ ...silence, active: Date.parse(silence.until) > now }))
      .sort((a, b) => Number(b.active) - Number(a.active) || b.createdAt.localeCompare(a.createdAt));
  }

  // ---- writing ----

  async changeRule(change: 'created' | 'updated' | 'deleted', name: string, rule: AlertRule | null, meta: EventMeta): Promise<StoredEvent> {
    const exists = this.rules.has(name);
    if (change === 'created' && exists) throw new ConflictException({ message: `alert rule ${name} exists: PUT /api/alert-rules/${name} changes it` });
    if (change !== 'created' && !exists) throw new NotFoundException({ message: `no alert rule ${name}` });
    const [event] = await this.store.append(ALERT_RULES_STREAM, this.rules.version, [{ type: 'alert-rule.changed', data: { name, rule, change } }], meta);
    return event;
  }

  async acknowledge(alertId: string, by: string, comment: string, meta: EventMeta): Promise<StoredEvent> {
    const [event] = await this.store.append(alertStreamOf(alertId), 'any', [{ type: 'alert.acknowledged', data: { alertId, by, comment } }], meta);
    return event;
  }

  async silenceAlert(alertId: string, until: string, reason: string, by: string, meta: EventMeta): Promise<StoredEvent> {
    const data = { silenceId: randomUUID(), alertId, until, reason, by };
    const [event] = await this.store.append(alertStreamOf(alertId), 'any', [{ type: 'alert.silenced', data }], meta);
    return event;
  }

  async silenceMatching(matchers: SilenceMatchers, until: string, reason: string, by: string, meta: EventMeta): Promise<SilenceView> {
    const silenceId = randomUUID();
    await this.store.append(SILENCES_STREAM, 'any', [{ type: 'alert.silenced', data: { silenceId, matchers, until, reason, by } }], meta);
    return this.silences.get(silenceId)!;
  }

  // ---- folding ----

  private apply(event: StoredEvent, live: boolean): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    switch (event.type) {
      case 'alert-rule.changed': {
        const { name, rule } = event.data;
        const previous = this.rules.apply(event);
        if (live && previous) {
          if (!rule || rule.kind !== previous.kind) this.emit(this.evaluator.dropRule(name, Date.now(), rule ? 'rule changed kind' : 'rule deleted'));
          else this.emit(this.evaluator.pruneRule(rule, Date.now()));
        }
        return;
      }
      case 'alert.silenced':
        if (event.data.matchers) {
          const { silenceId, matchers, until, reason, by } = event.data;
          this.silences.set(silenceId, { silenceId, matchers, until, reason, by, createdAt: event.time, active: true });
          return;
        }
        break;
      case 'service.exited':
      case 'service.started':
        if (live) this.emit(this.evaluator.onServiceEvent(event, this.ruleList()));
        return;
      default:
        break;
    }
    if (!event.type.startsWith('alert.')) return;
    const alertId = (event.data as { alertId?: string }).alertId;
    if (!alertId) return;
    const view = evolveAlert(this.views.get(alertId), event);
    if (view) this.views.set(alertId, view);
    if (live && view && (event.type === 'alert.raised' || event.type === 'alert.resolved')) {
      const silenced = this.listItem(view).isSilenced;
      try {
        this.notifier.enqueue(event, { silenced });
      } catch (error) {
        this.logger.error(`notifier failed on ${event.type} ${alertId}: ${String(error)}`);
      }
    }
  }

  private onSample(sample: MetricSample): void {
    if (this.rules.size === 0) return;
    const time = Date.parse(sample.time);
    this.emit(
      this.evaluator.onSample(
        { source: sample.source, environment: sample.environment, time: Number.isFinite(time) ? time : Date.now(), values: sample.values, error: sample.error },
        this.ruleList(),
      ),
    );
  }

  /** Appends the evaluator's effects; never awaits and never throws into the caller. */
  private emit(effects: AlertEffect[]): void {
    for (const effect of effects) {
      const alertId = effect.data.alertId;
      const environment = effect.kind === 'raise' ? effect.data.environment : effect.environment;
      const event: NewEvent =
        effect.kind === 'raise' ? { type: 'alert.raised', data: effect.data } : { type: 'alert.resolved', data: effect.data };
      const meta: EventMeta = { correlationId: `alert-${alertId}`, ...(environment === undefined ? {} : { environment }) };
      this.store
        .append(alertStreamOf(alertId), effect.kind === 'raise' ? 0 : 'any', [event], meta)
        .catch((error: unknown) => this.logger.error(`could not append ${event.type} for alert ${alertId}: ${String(error)}`));
    }
  }

  private safely(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.logger.error(`alert evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
