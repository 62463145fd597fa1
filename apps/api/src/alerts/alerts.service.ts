import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ALERT_RULES_STREAM,
  alertSilencedAt,
  alertStreamOf,
  silencesAt,
  silencesCovering,
  SILENCES_STREAM,
  type AlertRule,
  type AlertView,
  type EventMeta,
  type EventType,
  type MetricSample,
  type NewEvent,
  type SilenceMatchers,
  type SilenceSchedule,
  type SilenceView,
  type StoredEvent,
} from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { Cluster } from '../cluster/cluster';
import { whileLeader } from '../cluster/while-leader';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { HostsRegistry } from '../hosts/hosts-registry';
import { Notifier } from '../notifications/notifier';
import { isCausedByHost, withHostCause } from './host-cause';
import { AlertEvaluator, type AlertEffect } from './alert-evaluator';
import { AlertNoise, DEFAULT_INHIBITIONS } from './alert-noise';
import { withOccurrence } from './recurring-windows';
import { alertRulesAt, type AlertRuleSet } from './alert-rule-set';
import { ALERTS_STATE_EVENTS, AlertsState, type StoredSilence } from './alerts-state';
import type { AlertsReadModel } from './alerts-read-model';
import { catchUpThenFollow } from '../projections/catch-up-then-follow';

/** An alert as the API lists it: the folded view plus whether a silence covers it now. */
export interface AlertListItem extends AlertView {
  /** Its own silence or a matcher silence is in force: notifications are held back. */
  isSilenced: boolean;
  /** Matcher silences (ids) covering it now. */
  silencedBy: string[];
}

const FOLDED_TYPES = [...ALERTS_STATE_EVENTS, 'service.exited', 'service.started'] as const satisfies readonly EventType[];

/**
 * Alerting: rules (config, then the `alert-rules` stream folded over them), the
 * evaluator fed by samples, service events and a clock, the alert views and
 * silences (catch-up then follow, like the dashboard projection), and the hand-off
 * of committed `alert.raised` / `alert.resolved` to the Notifier.
 */
@Injectable()
export class AlertsService implements AlertsReadModel, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  /** Rules, views and silences: the same pure fold `vigil rebuild` digests. */
  private readonly state: AlertsState;
  /** Fed only while this node is the leader; a fresh one (restored from the log's firing alerts) each time it becomes leader. */
  private evaluator = new AlertEvaluator(() => randomUUID());
  private readonly noise: AlertNoise;
  /** Recurring windows from the config: in force at every start, never in the log. */
  private readonly configuredSilences: StoredSilence[];
  private silencesMemo?: { now: number; list: StoredSilence[] };
  private subscriptions: Subscription[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(Notifier) private readonly notifier: Notifier,
    @Inject(HostsRegistry) private readonly hosts: HostsRegistry,
    @Inject(Cluster) private readonly cluster: Cluster,
  ) {
    this.state = new AlertsState(config.alerts.rules);
    this.configuredSilences = config.alerts.silences.map((s) => ({
      silenceId: `config-${s.name}`,
      matchers: s.matchers,
      until: '9999-12-31T00:00:00.000Z',
      reason: s.reason,
      by: 'config',
      createdAt: new Date(0).toISOString(),
      schedule: { cron: s.schedule, durationMinutes: s.durationMinutes },
    }));
    this.noise = new AlertNoise([...(config.alerts.defaultInhibitions ? DEFAULT_INHIBITIONS : []), ...config.alerts.inhibit]);
  }

  private get rules(): AlertRuleSet {
    return this.state.rules;
  }

  async onModuleInit(): Promise<void> {
    this.subscriptions.push(
      await catchUpThenFollow(
        this.store,
        async () => {
          for await (const event of this.store.read(1, { types: FOLDED_TYPES })) this.apply(event, false);
        },
        (event) => {
          this.safely(() => {
            this.apply(event, true);
          });
        },
      ),
    );
    this.subscriptions.push(
      this.metrics.samples$.subscribe((sample) => {
        this.safely(() => {
          if (this.cluster.isLeader()) this.onSample(sample);
        });
      }),
      // Evaluation and notification run once per cluster: on the leader.
      whileLeader(
        this.cluster,
        'alert evaluation',
        {
          start: () => {
            this.startEvaluating();
          },
          stop: () => {
            this.stopEvaluating();
          },
        },
        this.logger,
      ),
    );
    this.logger.log(
      `${this.rules.size} alert rule(s), ${[...this.state.views.values()].filter((v) => v.state === 'firing').length} firing`,
    );
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.stopEvaluating();
  }

  /** Alerts the log says are firing stay firing: no second raise after a restart or a change of leader. */
  private startEvaluating(): void {
    this.evaluator = new AlertEvaluator(() => randomUUID());
    for (const view of this.state.views.values()) {
      if (view.state === 'firing') this.evaluator.restoreFiring(view.rule, view.environment, view.source, view.alertId);
    }
    const everyMs = this.config.alerts.checkIntervalSeconds * 1000;
    this.timer = setInterval(() => {
      this.safely(() => {
        if (this.cluster.isLeader()) this.onTick(Date.now());
      });
    }, everyMs);
    this.timer.unref();
  }

  private stopEvaluating(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
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
    return this.state.views.get(alertId);
  }

  listItem(view: AlertView, now = Date.now()): AlertListItem {
    const silencedBy = silencesCovering(this.silencesNow(now), view, now).map((silence) => silence.silenceId);
    return { ...view, isSilenced: alertSilencedAt(view, now) || silencedBy.length > 0, silencedBy };
  }

  alerts(): AlertView[] {
    return [...this.state.views.values()];
  }

  silenceList(now = Date.now()): SilenceView[] {
    return silencesAt(this.silencesNow(now), now);
  }

  /** Every matcher silence (configured windows first), recurring ones with their occurrence at `now`. */
  private silencesNow(now: number): StoredSilence[] {
    if (this.silencesMemo?.now !== now) {
      const all = [...this.configuredSilences, ...this.state.silences.values()];
      this.silencesMemo = { now, list: all.map((silence) => withOccurrence(silence, now)) };
    }
    return this.silencesMemo.list;
  }

  // ---- writing ----

  async changeRule(change: 'created' | 'updated' | 'deleted', name: string, rule: AlertRule | null, meta: EventMeta): Promise<StoredEvent> {
    const exists = this.rules.has(name);
    if (change === 'created' && exists)
      throw new ConflictException({ message: `alert rule ${name} exists: PUT /api/alert-rules/${name} changes it` });
    if (change !== 'created' && !exists) throw new NotFoundException({ message: `no alert rule ${name}` });
    const [event] = await this.store.append(
      ALERT_RULES_STREAM,
      this.rules.version,
      [{ type: 'alert-rule.changed', data: { name, rule, change } }],
      meta,
    );
    return event;
  }

  async acknowledge(alertId: string, by: string, comment: string, meta: EventMeta, expiresAt?: string): Promise<StoredEvent> {
    const [event] = await this.store.append(
      alertStreamOf(alertId),
      'any',
      [{ type: 'alert.acknowledged', data: { alertId, by, comment, ...(expiresAt ? { expiresAt } : {}) } }],
      meta,
    );
    return event;
  }

  /**
   * The evaluator's clock: absent rules and restart windows, then the noise work that
   * waits on time — lapsed acknowledgements (`alert.ack-expired`) and due escalations.
   */
  onTick(now: number): void {
    this.emit(this.evaluator.onTick(now, this.ruleList()));
    for (const view of this.noise.lapsedAcks(this.state.views.values(), now)) {
      const by = view.acknowledged?.by ?? '';
      const data = { alertId: view.alertId, by, expiredAt: new Date(now).toISOString() };
      const meta: EventMeta = {
        correlationId: `alert-${view.alertId}`,
        ...(view.environment === undefined ? {} : { environment: view.environment }),
      };
      this.store.append(alertStreamOf(view.alertId), 'any', [{ type: 'alert.ack-expired', data }], meta).catch((error: unknown) => {
        this.logger.error(`could not append alert.ack-expired for ${view.alertId}: ${String(error)}`);
      });
    }
    this.notifier.tick(now);
  }

  async silenceAlert(alertId: string, until: string, reason: string, by: string, meta: EventMeta): Promise<StoredEvent> {
    const data = { silenceId: randomUUID(), alertId, until, reason, by };
    const [event] = await this.store.append(alertStreamOf(alertId), 'any', [{ type: 'alert.silenced', data }], meta);
    return event;
  }

  async silenceMatching(
    matchers: SilenceMatchers,
    until: string,
    reason: string,
    by: string,
    meta: EventMeta,
    schedule?: SilenceSchedule,
  ): Promise<SilenceView> {
    const silenceId = randomUUID();
    const data = { silenceId, matchers, until, reason, by, ...(schedule ? { schedule } : {}) };
    await this.store.append(SILENCES_STREAM, 'any', [{ type: 'alert.silenced', data }], meta);
    // Folded already: the store hands committed events to events$ before append resolves.
    const silence = this.state.silences.get(silenceId);
    if (!silence) throw new Error(`silence ${silenceId} was committed but not folded`);
    return silencesAt([withOccurrence(silence, Date.now())], Date.now())[0];
  }

  // ---- folding ----

  private apply(event: StoredEvent, live: boolean): void {
    if (event.position <= this.state.position) return;
    const change = this.state.apply(event);
    this.noise.fold(event);
    if (!live || !this.cluster.isLeader()) return;
    if (event.type === 'alert.acknowledged') this.notifier.acknowledged(event.data.alertId);
    if (event.type === 'alert.ack-expired' && change?.kind === 'alert' && change.view.state === 'firing') {
      this.renotify(change.view);
      return;
    }
    if (event.type === 'service.exited' || event.type === 'service.started') {
      this.emit(this.evaluator.onServiceEvent(event, this.ruleList()));
      return;
    }
    if (change?.kind === 'rule' && change.previous) {
      const { name, rule } = change;
      if (rule?.kind !== change.previous.kind)
        this.emit(this.evaluator.dropRule(name, Date.now(), rule ? 'rule changed kind' : 'rule deleted'));
      else this.emit(this.evaluator.pruneRule(rule, Date.now()));
      return;
    }
    if (change?.kind === 'alert' && (event.type === 'alert.raised' || event.type === 'alert.resolved')) {
      // An alert caused by its host going offline is recorded, but notified under the host's alert; an inhibited one is not notified.
      const inhibitor = event.type === 'alert.raised' ? this.noise.inhibitorOf(event.data) : undefined;
      if (inhibitor) this.inhibit(change.view, inhibitor);
      const silenced =
        this.listItem(change.view).isSilenced ||
        (event.type === 'alert.raised' && isCausedByHost(event.data)) ||
        inhibitor !== undefined ||
        change.view.inhibitedBy !== undefined;
      try {
        this.notifier.enqueue(event, { silenced });
      } catch (error) {
        this.logger.error(`notifier failed on ${event.type} ${change.view.alertId}: ${String(error)}`);
      }
    }
  }

  /** Records that an alert raised while its inhibitor fires is held back (it is not notified). */
  private inhibit(view: AlertView, inhibitor: { byAlertId: string; inhibition: string }): void {
    const meta: EventMeta = {
      correlationId: `alert-${view.alertId}`,
      ...(view.environment === undefined ? {} : { environment: view.environment }),
    };
    this.store
      .append(alertStreamOf(view.alertId), 'any', [{ type: 'alert.inhibited', data: { alertId: view.alertId, ...inhibitor } }], meta)
      .catch((error: unknown) => {
        this.logger.error(`could not append alert.inhibited for ${view.alertId}: ${String(error)}`);
      });
  }

  /** An acknowledgement lapsed while the alert fires: it notifies again, as when it was raised. */
  private renotify(view: AlertView): void {
    this.store
      .readStream(alertStreamOf(view.alertId))
      .then((events) => {
        const raised = events.find((event) => event.type === 'alert.raised');
        if (!raised) return;
        const silenced = this.listItem(view).isSilenced || view.inhibitedBy !== undefined;
        this.notifier.enqueue(raised, { silenced });
      })
      .catch((error: unknown) => {
        this.logger.error(`could not notify again for ${view.alertId}: ${String(error)}`);
      });
  }

  private onSample(sample: MetricSample): void {
    if (this.rules.size === 0) return;
    const time = Date.parse(sample.time);
    this.emit(
      this.evaluator.onSample(
        {
          source: sample.source,
          environment: sample.environment,
          time: Number.isFinite(time) ? time : Date.now(),
          values: sample.values,
          error: sample.error,
        },
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
        effect.kind === 'raise'
          ? { type: 'alert.raised', data: withHostCause(effect.data, this.hosts, this.alerts()) }
          : { type: 'alert.resolved', data: effect.data };
      const meta: EventMeta = { correlationId: `alert-${alertId}`, ...(environment === undefined ? {} : { environment }) };
      this.store.append(alertStreamOf(alertId), effect.kind === 'raise' ? 0 : 'any', [event], meta).catch((error: unknown) => {
        this.logger.error(`could not append ${event.type} for alert ${alertId}: ${String(error)}`);
      });
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
