import {
  environmentsIn,
  rulesInForceAt,
  silencesAt,
  type AlertRule,
  type DashboardState,
  type HostView,
  type ServiceView,
  type SilenceView,
} from '@vigil/shared';
import type { AlertsReadModel } from '../alerts/alerts-read-model';
import { AlertsState } from '../alerts/alerts-state';
import { withOccurrence } from '../alerts/recurring-windows';
import { FixedEnvironments } from '../config/environment-catalog';
import { HealthSource } from '../health/health-source';
import type { IncidentBundle } from '../incident/bundle-reader';
import { replayResources } from '../replay/replay-writer';
import { ServicesReadModel } from '../services/services-read-model';

/*
 * The read side of the live controllers, answered from one incident bundle: what
 * the live server's read models would have said at the window's end (`end`, the
 * dashboard state the bundle folds to there), and the rules at any moment of it.
 */

/** The environments the bundle shows anything of at the window's end, each with the services seen in it. */
export function bundleEnvironments(end: DashboardState): FixedEnvironments {
  const views = Object.values(end.services);
  return new FixedEnvironments(
    environmentsIn(end).map((name) => ({
      name,
      services: views.filter((view) => view.environment === name).map((view) => ({ name: view.service, instances: view.desiredInstances })),
    })),
  );
}

/** The services as they stood at the window's end, uptimes counted to it. */
export class BundleServices extends ServicesReadModel {
  private readonly to: number;

  constructor(
    bundle: IncidentBundle,
    private readonly end: DashboardState,
  ) {
    super();
    this.to = Date.parse(bundle.header.to);
  }

  services(): Readonly<Record<string, ServiceView>> {
    return this.end.services;
  }

  now(): number {
    return this.to;
  }

  hosts(): Readonly<Record<string, HostView>> {
    return this.end.hosts ?? {};
  }
}

/**
 * The bundle's alert rules (in force at the window's end; `at` answered from its
 * timeline, else those) and the matcher silences its events made, folded as the live
 * server folds them, listed as at the window's end.
 */
export class BundleAlerts implements AlertsReadModel {
  private readonly silences: SilenceView[];

  constructor(private readonly bundle: IncidentBundle) {
    const alerts = new AlertsState([]);
    for (const item of bundle.items) if (item.kind === 'event') alerts.apply(item.event);
    const to = Date.parse(bundle.header.to);
    this.silences = silencesAt(
      [...alerts.silences.values()].map((silence) => withOccurrence(silence, to)),
      to,
    );
  }

  ruleList(): AlertRule[] {
    return this.bundle.alertRules;
  }

  rulesAt(at: Date): Promise<AlertRule[]> {
    return Promise.resolve(rulesInForceAt(this.bundle.alertRulesTimeline, at.getTime()) ?? this.bundle.alertRules);
  }

  silenceList(): SilenceView[] {
    return this.silences;
  }
}

/** Health of a review server: its replays, and the bundle's last event position and sample time. */
export class BundleHealth extends HealthSource {
  readonly mode = 'review';
  private readonly lastPosition: number;
  private readonly lastSampleAt: string | null;

  constructor(bundle: IncidentBundle) {
    super();
    let position = bundle.snapshot.position;
    let sampleAt: string | null = null;
    for (const item of bundle.items) {
      if (item.kind === 'event') position = item.event.position;
      else sampleAt = item.sample.time;
    }
    this.lastPosition = position;
    this.lastSampleAt = sampleAt;
  }

  activeClients(): number {
    return replayResources.open;
  }

  eventLogPosition(): number {
    return this.lastPosition;
  }

  lastMetricAt(): string | null {
    return this.lastSampleAt;
  }
}
