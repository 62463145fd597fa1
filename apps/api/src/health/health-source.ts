/**
 * What GET /api/health reports beyond the process itself: the live server's hub,
 * log and metrics, or a review server's bundle (its replays, its last position and
 * sample).
 */
export abstract class HealthSource {
  abstract readonly mode: 'live' | 'review';
  /** Streams open now (a review server has only replays). */
  abstract activeClients(): number;
  abstract eventLogPosition(): number;
  abstract lastMetricAt(): string | null;
}
