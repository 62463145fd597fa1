/**
 * Agents: hosts enrolled to run `vigil agent`, as events in the stream `host-<name>`.
 * A host's token is never stored: only its sha256 (`tokenHash`), and that never
 * leaves the server (wireEvent strips it).
 */

export interface HostEnrolledData {
  name: string;
  labels: Record<string, string>;
  /** sha256 (hex) of the host token shown once at enrolment. */
  tokenHash: string;
}
export interface HostRevokedData {
  name: string;
}
export interface HostOnlineData {
  name: string;
  agentVersion: string;
}
export interface HostOfflineData {
  name: string;
  /** When the server last heard from the agent. */
  lastSeenAt: string;
  reason: string;
}
/** The services an agent declared (hello): each still named by environment and name across the fleet. */
export interface HostDeclaredData {
  name: string;
  services: { environment: string; service: string }[];
}

export function hostStreamOf(name: string): string {
  return `host-${name}`;
}

/** Where a host's own machine metrics go: the local node keeps `host`. */
export function hostMetricSource(name: string): string {
  return `host@${name}`;
}

export type HostStatus = 'online' | 'offline' | 'revoked';

/** A host as the events tell it (dashboard state, replay, GET /api/hosts). */
export interface HostView {
  name: string;
  labels: Record<string, string>;
  status: HostStatus;
  enrolledAt: string;
  agentVersion?: string;
  /** The last host.online / host.offline moment as recorded (live presence is finer). */
  lastSeenAt?: string;
  services: { environment: string; service: string }[];
  position: number;
}

/** GET /api/hosts items. */
export interface HostSummary extends Omit<HostView, 'position'> {
  /** Every agent request counts; null before the first. */
  lastSeenAt?: string;
}

/** POST /api/hosts answer: the token is shown this once. */
export interface HostEnrolment {
  name: string;
  token: string;
}
