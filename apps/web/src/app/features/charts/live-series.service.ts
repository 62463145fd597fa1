import { Injectable } from '@angular/core';
import type { CommandView, MetricSample } from '@vigil/shared';
import { HOST_SOURCE_KEY, latestSample } from '../../core/metric-values';
import {
  LIVE_WINDOW_MS,
  alertMarks,
  appendLive,
  deployMarks,
  hostFigures,
  markPoints,
  serviceRequests,
  trimBefore,
  type Point,
} from './series';

/** How far past the clock live markers are kept (a mark may come a little ahead of the samples). */
const MARK_LEAD_MS = 60_000;

/** What one batch of samples did to the live series. */
export interface IngestResult {
  /** Some series got a new point. */
  changed: boolean;
  /** A service's request series appeared. */
  newSeries: boolean;
}

/**
 * The live window's series (the last 5 minutes), kept whatever range the charts show, so
 * going back to live loses nothing. Every array is changed in place: the live charts plot
 * these very arrays. One per charts component (provided in its `providers`).
 */
@Injectable()
export class LiveSeries {
  readonly cpu: Point[] = [];
  readonly memory: Point[] = [];
  readonly rx: Point[] = [];
  readonly tx: Point[] = [];
  readonly alerts: Point[] = [];
  readonly deploys: Point[] = [];
  /** Requests/s per service source (`<env>/<service>`). */
  readonly requests = new Map<string, Point[]>();

  /** The environment the request series belong to; a change starts them afresh. */
  private environment: string | undefined;

  /** Appends what is new in the latest samples and trims every series to the window ending at the newest host sample (or `clock`). */
  ingest(metrics: Record<string, MetricSample>, clock: number): IngestResult {
    let changed = false;
    const host = latestSample(metrics, HOST_SOURCE_KEY);
    const figures = host ? hostFigures(host) : null;
    if (figures) {
      const { time: x } = figures;
      if (figures.cpu !== undefined) changed = appendLive(this.cpu, { x, y: figures.cpu }) || changed;
      if (figures.memory !== undefined) changed = appendLive(this.memory, { x, y: figures.memory }) || changed;
      if (figures.rx !== undefined) changed = appendLive(this.rx, { x, y: figures.rx }) || changed;
      if (figures.tx !== undefined) changed = appendLive(this.tx, { x, y: figures.tx }) || changed;
    }
    let newSeries = false;
    const now = figures?.time ?? clock;
    for (const { key, time, value } of serviceRequests(metrics)) {
      let points = this.requests.get(key);
      if (!points) {
        points = [];
        this.requests.set(key, points);
        newSeries = true;
      }
      changed = appendLive(points, { x: time, y: value }) || changed;
    }
    for (const points of this.requests.values()) trimBefore(points, now - LIVE_WINDOW_MS);
    trimBefore(this.alerts, now - LIVE_WINDOW_MS);
    trimBefore(this.deploys, now - LIVE_WINDOW_MS);
    return { changed, newSeries };
  }

  /** Alert raise/resolve marks of the live window ending at `clock`. */
  markAlerts(alerts: readonly { startedAt: string; resolvedAt?: string; rule: string }[], clock: number): void {
    replaceMarks(this.alerts, clock, (from, to) => alertMarks(alerts, from, to));
  }

  /** Finished-deploy marks of the live window ending at `clock`. */
  markDeploys(deploys: readonly CommandView[], clock: number): void {
    replaceMarks(this.deploys, clock, (from, to) => deployMarks(deploys, from, to));
  }

  /** Request series of another environment are dropped when the header's choice changes; true when some were. */
  showEnvironment(environment: string | undefined): boolean {
    if (environment === this.environment) return false;
    this.environment = environment;
    if (this.requests.size === 0) return false;
    this.requests.clear();
    return true;
  }

  /** Replay: a clock before the newest point means a seek back, so the series start over. */
  followClock(now: number): void {
    const series = [this.cpu, this.memory, this.rx, this.tx, ...this.requests.values()];
    if (series.some((points) => (points[points.length - 1]?.x ?? 0) > now)) {
      for (const points of series) points.length = 0;
    }
  }

  /** The newest sample time over CPU, network and requests, or undefined before the first. */
  newest(): number | undefined {
    const lasts = [this.cpu, this.rx, ...this.requests.values()].map((points) => points[points.length - 1]?.x ?? 0);
    const end = Math.max(...lasts);
    return end > 0 ? end : undefined;
  }
}

/** Refills a marker series in place (the chart holds the array) with the marks of the live window. */
function replaceMarks(series: Point[], clock: number, marksIn: (from: number, to: number) => readonly { x: number }[]): void {
  const to = clock + MARK_LEAD_MS;
  series.splice(0, series.length, ...markPoints(marksIn(to - LIVE_WINDOW_MS - MARK_LEAD_MS, to)));
}
