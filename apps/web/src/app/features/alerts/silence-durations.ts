/** The silence lengths the dialog offers (the API allows up to 30 days). */
export interface SilenceDuration {
  label: string;
  ms: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const SILENCE_DURATIONS: readonly SilenceDuration[] = [
  { label: '15 minutes', ms: 15 * MINUTE },
  { label: '1 hour', ms: HOUR },
  { label: '4 hours', ms: 4 * HOUR },
  { label: '1 day', ms: 24 * HOUR },
  { label: '7 days', ms: 7 * 24 * HOUR },
];

export const DEFAULT_SILENCE_DURATION = SILENCE_DURATIONS[1];

/** The API needs a reason; without a comment it says how long, so the log still tells why. */
export function silenceReason(comment: string, duration: SilenceDuration): string {
  const trimmed = comment.trim();
  return trimmed === '' ? `silenced for ${duration.label} from the dashboard` : trimmed;
}

/** `until` for POST /api/alerts/:id/silence, counted from the moment of sending. */
export function silenceUntil(duration: SilenceDuration, now: number): string {
  return new Date(now + duration.ms).toISOString();
}
