/** Where the replay stream and its markers live; same origin. */
export const REPLAY_URL = '/api/replay';
export const REPLAY_MARKERS_URL = '/api/replay/markers';

export interface ReplayQuery {
  /** Epoch ms. */
  from: number;
  to: number;
  speed: number;
  environment?: string;
}

/** `/api/replay?from=ISO&to=ISO&speed=N[&environment=E]`: the one URL shape the player opens. */
export function buildReplayUrl(query: ReplayQuery): string {
  const params = new URLSearchParams({
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    speed: String(query.speed),
  });
  if (query.environment !== undefined) params.set('environment', query.environment);
  return `${REPLAY_URL}?${params.toString()}`;
}
