import {
  globMatches,
  type AlertComparator,
  type AlertRaisedData,
  type AlertResolvedData,
  type AlertRule,
  type ServiceAlertRule,
  type StoredEvent,
  type ThresholdAlertRule,
} from '@vigil/shared';

/**
 * Alert evaluation without I/O: rules and inputs (samples, service events, the
 * clock) in, `raise` / `resolve` effects out. The AlertsService appends the effects;
 * everything here is deterministic given the ids it is handed.
 *
 * Per (rule, environment, source) one state machine:
 *   normal → pending (condition holds, `forSeconds` not yet over) → firing → resolved (→ normal).
 * A series that is firing never raises again: one active alert per rule and source.
 */

export type Phase = 'normal' | 'pending' | 'firing';

export interface SeriesState {
  phase: Phase;
  /** When the condition started holding (pending). */
  pendingSince?: number;
  /** When the condition last held (for keepFiringForSeconds). */
  lastBreachAt?: number;
  /** The active alert, while firing. */
  alertId?: string;
  /** absent rules: when the source last sent a sample. */
  lastSeenAt?: number;
  /** service restart-loop rules: times of the policy restarts in the window. */
  restarts?: number[];
}

export type AlertEffect = { kind: 'raise'; data: AlertRaisedData } | { kind: 'resolve'; data: AlertResolvedData; environment?: string };

export interface SampleInput {
  source: string;
  environment?: string;
  /** ms since the epoch. */
  time: number;
  values: Record<string, number>;
  error?: string;
}

/** A glob on an environment: `*` also matches data without one (host-wide). */
export function environmentMatches(pattern: string, environment: string | undefined): boolean {
  if (environment === undefined) return pattern === '*';
  return globMatches(pattern, environment);
}

export function compare(value: number, comparator: AlertComparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');
}

export function renderMessage(
  template: string,
  vars: { value: number; threshold: number; source: string; environment?: string; metric: string; rule: string },
): string {
  return template.replace(/\{\{\s*(value|threshold|source|environment|metric|rule)\s*\}\}/g, (_, key: keyof typeof vars) => {
    const v = vars[key];
    if (v === undefined) return '-';
    return typeof v === 'number' ? round(v) : v;
  });
}

export function seriesKey(rule: string, environment: string | undefined, source: string): string {
  return `${rule}\u0000${environment ?? ''}\u0000${source}`;
}

function raise(
  rule: AlertRule,
  alertId: string,
  source: string,
  environment: string | undefined,
  metric: string,
  value: number,
  threshold: number,
  at: number,
): AlertEffect {
  return {
    kind: 'raise',
    data: {
      alertId,
      rule,
      source,
      ...(environment === undefined ? {} : { environment }),
      metric,
      value,
      threshold,
      severity: rule.severity,
      labels: { ...rule.labels },
      message: renderMessage(rule.message, { value, threshold, source, environment, metric, rule: rule.name }),
      startedAt: new Date(at).toISOString(),
    },
  };
}

function resolve(
  rule: string,
  alertId: string,
  value: number | null,
  at: number,
  environment: string | undefined,
  reason?: string,
): AlertEffect {
  return {
    kind: 'resolve',
    environment,
    data: { alertId, rule, value, resolvedAt: new Date(at).toISOString(), ...(reason ? { reason } : {}) },
  };
}

/** Whether a firing threshold alert may resolve at this value (hysteresis). */
function cleared(rule: ThresholdAlertRule, state: SeriesState, value: number, breached: boolean, at: number): boolean {
  if (breached) return false;
  if (rule.clearThreshold !== undefined) {
    const above = rule.comparator === '>' || rule.comparator === '>=';
    if (above ? !(value < rule.clearThreshold) : !(value > rule.clearThreshold)) return false;
  }
  if (rule.keepFiringForSeconds !== undefined && state.lastBreachAt !== undefined) {
    if (at - state.lastBreachAt < rule.keepFiringForSeconds * 1000) return false;
  }
  return true;
}

/** One value of one series against a threshold rule. */
export function stepThreshold(
  rule: ThresholdAlertRule,
  state: SeriesState,
  input: { source: string; environment?: string; value: number; time: number },
  newId: () => string,
): { state: SeriesState; effects: AlertEffect[] } {
  const { value, time, source, environment } = input;
  const breached = compare(value, rule.comparator, rule.threshold);
  const fire = (): { state: SeriesState; effects: AlertEffect[] } => {
    const alertId = newId();
    return {
      state: { phase: 'firing', alertId, lastBreachAt: time },
      effects: [raise(rule, alertId, source, environment, rule.metric, value, rule.threshold, time)],
    };
  };
  switch (state.phase) {
    case 'normal':
      if (!breached) return { state, effects: [] };
      if (rule.forSeconds <= 0) return fire();
      return { state: { phase: 'pending', pendingSince: time }, effects: [] };
    case 'pending':
      if (!breached) return { state: { phase: 'normal' }, effects: [] };
      if (time - (state.pendingSince ?? time) >= rule.forSeconds * 1000) return fire();
      return { state, effects: [] };
    case 'firing':
      if (breached) return { state: { ...state, lastBreachAt: time }, effects: [] };
      if (!cleared(rule, state, value, breached, time)) return { state, effects: [] };
      return { state: { phase: 'normal' }, effects: state.alertId ? [resolve(rule.name, state.alertId, value, time, environment)] : [] };
  }
}

/**
 * The evaluator: per-series states for a changing set of rules. Feed it samples,
 * service events and clock ticks; it returns what to append.
 */
export class AlertEvaluator {
  private readonly series = new Map<string, SeriesState>();
  /** series key → the rule name, environment and source, for ticks. */
  private readonly identity = new Map<string, { rule: string; environment?: string; source: string }>();

  constructor(private readonly newId: () => string) {}

  private get(rule: string, environment: string | undefined, source: string): SeriesState {
    const key = seriesKey(rule, environment, source);
    return this.series.get(key) ?? { phase: 'normal' };
  }

  private set(rule: string, environment: string | undefined, source: string, state: SeriesState): void {
    const key = seriesKey(rule, environment, source);
    this.series.set(key, state);
    this.identity.set(key, { rule, environment, source });
  }

  /** After a restart: the alerts the log says are firing stay firing (and are not raised twice). */
  restoreFiring(rule: string, environment: string | undefined, source: string, alertId: string): void {
    this.set(rule, environment, source, { ...this.get(rule, environment, source), phase: 'firing', alertId });
  }

  /** Current phase of a series (for tests and the API). */
  phaseOf(rule: string, environment: string | undefined, source: string): Phase {
    return this.get(rule, environment, source).phase;
  }

  onSample(sample: SampleInput, rules: readonly AlertRule[]): AlertEffect[] {
    const effects: AlertEffect[] = [];
    for (const rule of rules) {
      if (rule.kind === 'service') continue;
      if (!globMatches(rule.source, sample.source) || !environmentMatches(rule.environment, sample.environment)) continue;
      if (rule.kind === 'absent') {
        if (sample.error !== undefined) continue;
        const state = this.get(rule.name, sample.environment, sample.source);
        if (state.phase === 'firing' && state.alertId) {
          const quiet = Math.round((sample.time - (state.lastSeenAt ?? sample.time)) / 1000);
          effects.push(resolve(rule.name, state.alertId, quiet, sample.time, sample.environment));
        }
        this.set(rule.name, sample.environment, sample.source, { phase: 'normal', lastSeenAt: sample.time });
        continue;
      }
      const value = sample.values[rule.metric];
      if (sample.error !== undefined || typeof value !== 'number' || !Number.isFinite(value)) continue;
      const state = this.get(rule.name, sample.environment, sample.source);
      const next = stepThreshold(
        rule,
        state,
        { source: sample.source, environment: sample.environment, value, time: sample.time },
        this.newId,
      );
      this.set(rule.name, sample.environment, sample.source, next.state);
      effects.push(...next.effects);
    }
    return effects;
  }

  onServiceEvent(event: StoredEvent, rules: readonly AlertRule[]): AlertEffect[] {
    if (event.type !== 'service.exited' && event.type !== 'service.started') return [];
    const { service, environment } = event.data;
    const time = Date.parse(event.time);
    const effects: AlertEffect[] = [];
    for (const rule of rules) {
      if (rule.kind !== 'service' || !globMatches(rule.service, service) || !environmentMatches(rule.environment, environment)) continue;
      const state = this.get(rule.name, environment, service);
      if (rule.trigger === 'crash') {
        if (event.type === 'service.exited' && event.data.expected === false && state.phase !== 'firing') {
          const code = typeof event.data.code === 'number' ? event.data.code : -1;
          const alertId = this.newId();
          this.set(rule.name, environment, service, { phase: 'firing', alertId });
          effects.push(raise(rule, alertId, service, environment, 'exit_code', code, 0, time));
        } else if (event.type === 'service.started' && state.phase === 'firing' && state.alertId) {
          this.set(rule.name, environment, service, { phase: 'normal' });
          effects.push(resolve(rule.name, state.alertId, 0, time, environment, 'service started again'));
        }
        continue;
      }
      if (event.type !== 'service.started' || event.data.reason !== 'policy') continue;
      const restarts = windowed([...(state.restarts ?? []), time], rule, time);
      if (restarts.length >= rule.restarts && state.phase !== 'firing') {
        const alertId = this.newId();
        this.set(rule.name, environment, service, { phase: 'firing', alertId, restarts });
        effects.push(raise(rule, alertId, service, environment, 'restarts', restarts.length, rule.restarts, time));
      } else {
        this.set(rule.name, environment, service, { ...state, restarts });
      }
    }
    return effects;
  }

  /** The clock: `absent` rules fire, restart loops that calmed down resolve. */
  onTick(now: number, rules: readonly AlertRule[]): AlertEffect[] {
    const byName = new Map(rules.map((rule) => [rule.name, rule]));
    const effects: AlertEffect[] = [];
    for (const [key, state] of this.series) {
      const id = this.identity.get(key);
      if (!id) continue;
      const rule = byName.get(id.rule);
      if (!rule) continue;
      if (rule.kind === 'absent') {
        if (state.phase === 'firing' || state.lastSeenAt === undefined) continue;
        const quiet = (now - state.lastSeenAt) / 1000;
        if (quiet >= rule.seconds) {
          const alertId = this.newId();
          this.series.set(key, { ...state, phase: 'firing', alertId });
          effects.push(raise(rule, alertId, id.source, id.environment, 'seconds_since_sample', Math.round(quiet), rule.seconds, now));
        }
      } else if (rule.kind === 'service' && rule.trigger === 'restart-loop') {
        const restarts = windowed(state.restarts ?? [], rule, now);
        if (state.phase === 'firing' && state.alertId && restarts.length < rule.restarts) {
          this.series.set(key, { phase: 'normal', restarts });
          effects.push(resolve(rule.name, state.alertId, restarts.length, now, id.environment, 'restarts below the limit'));
        } else {
          this.series.set(key, { ...state, restarts });
        }
      }
    }
    return effects;
  }

  /** A rule was changed: series its globs no longer cover are dropped (their firing alerts resolve). */
  pruneRule(rule: AlertRule, now: number): AlertEffect[] {
    const effects: AlertEffect[] = [];
    for (const [key, state] of [...this.series]) {
      const id = this.identity.get(key);
      if (id?.rule !== rule.name) continue;
      const target = rule.kind === 'service' ? rule.service : rule.source;
      if (globMatches(target, id.source) && environmentMatches(rule.environment, id.environment)) continue;
      if (state.phase === 'firing' && state.alertId)
        effects.push(resolve(rule.name, state.alertId, null, now, id.environment, 'rule no longer covers this source'));
      this.series.delete(key);
      this.identity.delete(key);
    }
    return effects;
  }

  /** A rule was deleted (or replaced by one of another kind): its firing alerts resolve. */
  dropRule(name: string, now: number, reason: string): AlertEffect[] {
    const effects: AlertEffect[] = [];
    for (const [key, state] of [...this.series]) {
      const id = this.identity.get(key);
      if (id?.rule !== name) continue;
      if (state.phase === 'firing' && state.alertId) effects.push(resolve(name, state.alertId, null, now, id.environment, reason));
      this.series.delete(key);
      this.identity.delete(key);
    }
    return effects;
  }
}

function windowed(times: number[], rule: ServiceAlertRule, now: number): number[] {
  const from = now - rule.withinMinutes * 60_000;
  return times.filter((t) => t > from);
}
