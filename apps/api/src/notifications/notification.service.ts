import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { EventMeta, NewEvent, StoredEvent } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import nodemailer, { type Transporter } from 'nodemailer';
import { EventStore } from '../event-store/event-store';
import { emailContent, enrichResolved, jsonPayload, noticeFromEvent, slackPayload, type AlertNotice } from './notification-format';
import type { EmailTarget, NotificationsConfig, NotificationTarget, WebhookTarget } from '../config/notifications-config.schema';
import { Escalations, type EscalationStep } from './escalations';
import { Notifier } from './notifier';
import { alertmanagerWebhookBody } from './alertmanager-format';
import { AlertmanagerRepeater } from './alertmanager-repeater';
import { DeliveryError, postJson } from './http-delivery';

export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');
/** The stream delivery outcomes are appended to. */
export const NOTIFICATIONS_STREAM = 'notifications';

type AlertEvent = StoredEvent<'alert.raised' | 'alert.resolved'>;

/** Alerts waiting for one target; beyond this the oldest are dropped (a dead target must not eat memory). */
const MAX_PENDING_PER_TARGET = 5_000;
/** Alerts listed in one message; the rest go in the next one. */
const MAX_ALERTS_PER_MESSAGE = 500;
/** Raised alerts remembered so their resolution goes to the same targets. */
const MAX_REMEMBERED_ALERTS = 10_000;
const MAX_ERROR_LENGTH = 500;

interface TargetQueue {
  target: NotificationTarget;
  pending: AlertNotice[];
  /** Running grouping window (started by the first alert after the last message). */
  window?: NodeJS.Timeout;
  /** The window has closed: send as soon as no delivery is in flight. */
  due: boolean;
  inFlight: boolean;
  dropped: number;
}

interface RoutePredicate {
  targets: string[];
  escalate: EscalationStep[];
  severities?: ReadonlySet<string>;
  environments?: RegExp[];
}

/** `*` any run of characters, `?` one character, the rest literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function errorText(error: unknown): string {
  let message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  // fetch() reports "fetch failed" with the reason (ECONNREFUSED, …) in `cause`.
  // (Duck-typed: the cause may come from another realm, where instanceof Error fails.)
  const cause = error && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined;
  if (cause && typeof cause === 'object') {
    const { code, message: causeMessage } = cause as { code?: unknown; message?: unknown };
    const reason = typeof code === 'string' ? code : typeof causeMessage === 'string' ? causeMessage : undefined;
    if (reason) message += `: ${reason}`;
  }
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}

/**
 * Delivers alert notifications: routes each alert to targets by severity and
 * environment, groups what one target receives within a window into a single
 * message, retries failed deliveries with exponential backoff, and records every
 * outcome in the `notifications` stream. `enqueue` only queues in memory.
 */
@Injectable()
export class NotificationService extends Notifier implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private readonly inbox: { event: AlertEvent; silenced: boolean }[] = [];
  private drainScheduled = false;
  private readonly queues = new Map<string, TargetQueue>();
  private readonly routes: RoutePredicate[];
  /** alertId → the raised alert and the targets it went to ([] when silenced or unrouted). */
  private readonly raised = new Map<string, { notice: AlertNotice; targets: string[] }>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  private readonly transports = new Map<string, Transporter>();
  /** Per Alertmanager target: its firing alerts, posted again until they resolve. */
  private readonly repeaters = new Map<string, AlertmanagerRepeater>();
  private readonly externalUrl: string;
  private readonly escalations = new Escalations();
  private closing = false;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    @Inject(EventStore) private readonly store: EventStore,
  ) {
    super();
    this.externalUrl = config.externalUrl ?? `http://${hostname()}:${process.env.VIGIL_PORT ?? '3000'}`;
    for (const target of config.targets) {
      this.queues.set(target.name, { target, pending: [], due: false, inFlight: false, dropped: 0 });
      if (target.type === 'alertmanager') {
        const onError = (message: string): void => {
          this.logger.warn(`target ${target.name}: ${message}`);
        };
        this.repeaters.set(target.name, new AlertmanagerRepeater(target, this.externalUrl, this.timeoutMs, onError));
      }
    }
    // Routes `for: approvals` carry approval requests (ApprovalRequestNotices), not alerts.
    this.routes = config.routes
      .filter((route) => route.for !== 'approvals')
      .map((route) => ({
        targets: route.targets,
        escalate: route.escalate ?? [],
        severities: route.severities ? new Set(route.severities) : undefined,
        environments: route.environments?.map(globToRegExp),
      }));
  }

  /** Synchronous and O(1): the alert is routed and grouped on a later turn of the event loop. */
  enqueue(event: AlertEvent, options: { silenced: boolean }): void {
    if (this.closing) return;
    this.inbox.push({ event, silenced: options.silenced });
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => {
        this.drain();
      });
    }
  }

  /** Due escalations (by the evaluator's clock): recorded as `notification.escalated`, then sent to their targets. */
  override tick(now: number): void {
    if (this.closing) return;
    for (const due of this.escalations.due(now)) {
      const known = this.raised.get(due.alertId);
      if (!known) continue;
      const targets = due.targets.filter((name) => this.queues.has(name) && !known.targets.includes(name));
      known.targets.push(...targets);
      void this.record(
        { type: 'notification.escalated', data: { alertId: due.alertId, step: due.step, afterMinutes: due.afterMinutes, targets } },
        [known.notice],
      );
      for (const name of targets) this.add(name, known.notice);
    }
  }

  override acknowledged(alertId: string): void {
    this.escalations.stop(alertId);
  }

  /** Sends what is waiting now (ignoring the windows), waits for deliveries in flight, stops. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    if (!this.closing) {
      this.drain();
      this.closing = true;
      for (const wake of this.sleepers) wake();
      for (const queue of this.queues.values()) {
        if (queue.window) clearTimeout(queue.window);
        queue.window = undefined;
        queue.due = true;
        this.pump(queue);
      }
    }
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
    for (const repeater of this.repeaters.values()) repeater.stop();
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }

  private drain(): void {
    this.drainScheduled = false;
    const batch = this.inbox.splice(0);
    for (const { event, silenced } of batch) {
      try {
        this.route(event, silenced);
      } catch (error) {
        this.logger.error(`could not route alert event at position ${event.position}: ${errorText(error)}`);
      }
    }
  }

  private route(event: AlertEvent, silenced: boolean): void {
    let notice = noticeFromEvent(event);
    if (notice.status === 'firing') {
      const targets = silenced ? [] : this.targetsFor(notice);
      this.remember(notice, targets);
      if (!silenced) this.escalations.plan(notice.alertId, Date.parse(notice.time), this.escalationsFor(notice));
      for (const name of targets) this.add(name, notice);
      return;
    }
    const known = this.raised.get(notice.alertId);
    this.raised.delete(notice.alertId);
    this.escalations.stop(notice.alertId);
    if (silenced) return;
    notice = enrichResolved(notice, known?.notice);
    // A resolution goes where its alert went; unknown alerts (raised before a restart) are routed afresh.
    const targets = known ? known.targets : this.targetsFor(notice);
    for (const name of targets) this.add(name, notice);
  }

  private remember(notice: AlertNotice, targets: string[]): void {
    this.raised.delete(notice.alertId);
    this.raised.set(notice.alertId, { notice, targets });
    if (this.raised.size > MAX_REMEMBERED_ALERTS) {
      const oldest = this.raised.keys().next().value;
      if (oldest !== undefined) this.raised.delete(oldest);
    }
  }

  /**
   * Targets of every route the alert matches. A filter only excludes what it knows
   * does not match: an alert without a severity or environment passes that filter.
   */
  private targetsFor(notice: AlertNotice): string[] {
    const targets = new Set<string>();
    for (const route of this.matchingRoutes(notice)) for (const name of route.targets) targets.add(name);
    return [...targets].filter((name) => this.queues.has(name));
  }

  private escalationsFor(notice: AlertNotice): EscalationStep[] {
    return this.matchingRoutes(notice).flatMap((route) => route.escalate);
  }

  private matchingRoutes(notice: AlertNotice): RoutePredicate[] {
    return this.routes.filter((route) => {
      if (route.severities && notice.severity && !route.severities.has(notice.severity)) return false;
      if (route.environments && notice.environment !== undefined) {
        const environment = notice.environment;
        if (!route.environments.some((glob) => glob.test(environment))) return false;
      }
      return true;
    });
  }

  private add(name: string, notice: AlertNotice): void {
    const queue = this.queues.get(name);
    if (!queue) return;
    this.repeaters.get(name)?.track(notice);
    queue.pending.push(notice);
    if (queue.pending.length > MAX_PENDING_PER_TARGET) {
      queue.pending.shift();
      if (queue.dropped++ % 1000 === 0)
        this.logger.warn(`target ${name}: over ${MAX_PENDING_PER_TARGET} alerts waiting; dropping the oldest`);
    }
    if (!queue.window && !queue.due) {
      queue.window = setTimeout(() => {
        queue.window = undefined;
        queue.due = true;
        this.pump(queue);
      }, this.config.groupWindowSeconds * 1000);
    }
  }

  /** Starts a delivery when the window has closed and the previous message is done. */
  private pump(queue: TargetQueue): void {
    if (queue.inFlight || !queue.due || queue.pending.length === 0) return;
    const alerts = queue.pending.splice(0, MAX_ALERTS_PER_MESSAGE);
    queue.due = queue.pending.length > 0;
    queue.inFlight = true;
    const delivery = this.deliver(queue.target, alerts)
      .catch((error: unknown) => {
        this.logger.error(`target ${queue.target.name}: ${errorText(error)}`);
      })
      .finally(() => {
        queue.inFlight = false;
        this.deliveries.delete(delivery);
        this.pump(queue);
      });
    this.deliveries.add(delivery);
  }

  private async deliver(target: NotificationTarget, alerts: AlertNotice[]): Promise<void> {
    const alertIds = [...new Set(alerts.map((alert) => alert.alertId))];
    const { attempts, initialBackoffMs, maxBackoffMs } = this.config.retry;
    for (let attempt = 1; ; attempt++) {
      let failure: string | undefined;
      let permanent = false;
      let waitMs: number | undefined;
      try {
        await this.send(target, alerts);
      } catch (error) {
        failure = errorText(error);
        if (error instanceof DeliveryError) {
          permanent = error.permanent;
          waitMs = error.retryAfterMs;
        }
      }
      if (failure === undefined) {
        await this.record({ type: 'notification.delivered', data: { target: target.name, alertIds, attempt } }, alerts);
        return;
      }
      // A permanent refusal (4xx) will not change; shutting down: this was the last try.
      const final = permanent || attempt >= attempts || this.closing;
      await this.record({ type: 'notification.failed', data: { target: target.name, alertIds, attempt, error: failure, final } }, alerts);
      if (final) {
        this.logger.warn(`target ${target.name}: gave up on ${alertIds.length} alert(s) after ${attempt} attempt(s): ${failure}`);
        return;
      }
      // The receiver's Retry-After (429, 503) wins over the backoff.
      await this.sleep(waitMs ?? Math.min(initialBackoffMs * 2 ** (attempt - 1), maxBackoffMs));
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async record(
    event: NewEvent<'notification.delivered'> | NewEvent<'notification.failed'> | NewEvent<'notification.escalated'>,
    alerts: AlertNotice[],
  ): Promise<void> {
    const environments = new Set(alerts.map((alert) => alert.environment));
    const environment = environments.size === 1 ? [...environments][0] : undefined;
    const meta: EventMeta = {
      correlationId: randomUUID(),
      causationId: String(alerts[0]?.position ?? ''),
      ...(environment ? { environment } : {}),
    };
    try {
      await this.store.append(NOTIFICATIONS_STREAM, 'any', [event], meta);
    } catch (error) {
      this.logger.error(`could not record ${event.type}: ${errorText(error)}`);
    }
  }

  private get timeoutMs(): number {
    return this.config.timeoutSeconds * 1000;
  }

  /** The configured targets, in config order. */
  targets(): NotificationTarget[] {
    return [...this.queues.values()].map((queue) => queue.target);
  }

  /** One delivery attempt, no retry and no record: the test message's (the caller records the outcome). */
  sendOnce(target: NotificationTarget, alerts: AlertNotice[]): Promise<void> {
    return this.send(target, alerts);
  }

  private send(target: NotificationTarget, alerts: AlertNotice[]): Promise<void> {
    if (target.type === 'email') return this.sendEmail(target, alerts);
    if (target.type === 'alertmanager') {
      const repeater = this.repeaters.get(target.name);
      return repeater ? repeater.post(alerts) : Promise.reject(new Error('no Alertmanager client'));
    }
    return postJson(target.url, this.webhookBody(target, alerts), target.headers, this.timeoutMs);
  }

  private webhookBody(target: WebhookTarget, alerts: AlertNotice[]): unknown {
    if (target.format === 'slack') return slackPayload(alerts);
    if (target.format === 'alertmanager') return alertmanagerWebhookBody(target.name, alerts, this.externalUrl);
    return jsonPayload(target.name, alerts);
  }

  private async sendEmail(target: EmailTarget, alerts: AlertNotice[]): Promise<void> {
    let transport = this.transports.get(target.name);
    if (!transport) {
      const { host, port, secure, requireTLS, auth } = target.smtp;
      transport = nodemailer.createTransport({
        host,
        port,
        secure,
        requireTLS,
        ...(auth ? { auth: { user: auth.user, pass: auth.pass } } : {}),
        connectionTimeout: this.timeoutMs,
        greetingTimeout: this.timeoutMs,
        socketTimeout: this.timeoutMs,
        dnsTimeout: this.timeoutMs,
      });
      this.transports.set(target.name, transport);
    }
    const { subject, text } = emailContent(alerts);
    let timer: NodeJS.Timeout | undefined;
    // The per-phase timeouts above can add up; this bounds the whole send.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`SMTP send timed out after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([transport.sendMail({ from: target.from, to: target.to, subject, text }), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
