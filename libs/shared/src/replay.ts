import type { AlertRulesMoment } from './alerts';
import type { DashboardState } from './dashboard-state';
import type { AlertRule, StoredEvent } from './events';
import type { MetricSample } from './metrics';

/**
 * The replay contract (GET /api/replay and the review server). A replay stream sends,
 * in order: `replay.start`, a `snapshot` of the dashboard state at `from`, then every
 * event of the window (with its SSE `id:`) interleaved by time with `metrics` samples,
 * paced at the original gaps divided by `speed`, then `replay.end`, then the server
 * ends the response. Clients must close their EventSource on `replay.end` (else the
 * browser reconnects and plays the window again); seeking is a new request.
 */
export const REPLAY_MAX_SPEED = 1000;
export type ReplaySpeed = number | 'max';

export interface ReplayStartMessage {
  type: 'replay.start';
  from: string;
  to: string;
  speed: ReplaySpeed;
  /** `log`: the live server's event log; `bundle`: an exported incident file (`vigil review`). */
  source: 'log' | 'bundle';
}

export interface ReplayEndMessage {
  type: 'replay.end';
  /** Items delivered after the snapshot (after role and filter checks). */
  events: number;
  samples: number;
}

export type ReplayMessage = ReplayStartMessage | ReplayEndMessage;

/** A point on the replay timeline worth a marker. */
export interface ReplayMarker {
  time: string;
  position: number;
  kind: 'alert' | 'command' | 'deploy';
  /** e.g. "alert.raised cpu-high (critical)", "restart web-server@staging". */
  label: string;
  /** The alertId or commandId the marker belongs to. */
  ref: string;
  environment?: string;
}

/** GET /api/replay/markers?from&to[&environment] */
export interface ReplayMarkersResponse {
  from: string;
  to: string;
  /** In time order, at most REPLAY_MAX_MARKERS: the first of the window when `truncated`. */
  markers: ReplayMarker[];
  /** The window holds more markers than are listed: a shorter window shows the rest. */
  truncated: boolean;
}

/** The most markers one GET /api/replay/markers lists (a scrubber cannot show more anyway). */
export const REPLAY_MAX_MARKERS = 10_000;

/** GET /api/replay/info: what can be replayed here. */
export interface ReplayInfo {
  /** `live`: a normal server; `review`: `vigil review FILE`, read-only, no live parts. */
  mode: 'live' | 'review';
  /** The replayable window: first event to now (live) or the bundle's window (review). */
  from: string;
  to: string;
  bundle?: { file: string; createdAt: string; events: number; samples: number };
}

/** The dashboard state at a time, as a snapshot message carries it plus the time it is for. */
export interface StateAt {
  time: string;
  position: number;
  state: DashboardState;
}

/** One line of an incident bundle (NDJSON written by `vigil export`). */
export type IncidentBundleLine =
  | {
      kind: 'header';
      format: 'vigil-incident';
      version: 1;
      from: string;
      to: string;
      createdAt: string;
      events: number;
      samples: number;
    }
  | { kind: 'snapshot'; position: number; state: DashboardState }
  /**
   * Right after the snapshot: the alert rules in force at `to`, as GET /api/alert-rules
   * lists them (the metric cards' levels), and `timeline`: the rules at `from`, then after
   * each change inside the window, so a review judges every moment by its own rules.
   * Bundles written before it have no such line; before `timeline`, only `rules`.
   */
  | { kind: 'alert-rules'; rules: AlertRule[]; timeline?: AlertRulesMoment[] }
  /**
   * `vigil export --incident ID`, right after the alert rules: the incident's own
   * events (notes and changes may come after the window), the live streams open at
   * its start (who was watching), and the log's head when it was exported.
   */
  | { kind: 'incident'; incidentId: string; events: StoredEvent[]; openStreams: StoredEvent[]; head: { position: number; hash: string } }
  | { kind: 'event'; event: StoredEvent }
  | { kind: 'metrics'; sample: MetricSample };
