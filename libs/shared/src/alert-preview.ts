import { z } from 'zod';
import { alertRuleSchema } from './alert-rule-schemas';
import type { AlertRule } from './events';

/** POST /api/alert-rules/preview: a draft rule judged against the recent past. */
export const alertRulePreviewSchema = z.strictObject({
  rule: alertRuleSchema,
  /** How far back to look (the raw samples' tier). */
  minutes: z.number().int().min(1).max(60).default(15),
});

/** One time the draft would have fired in the window. */
export interface PreviewFiring {
  source: string;
  environment?: string;
  raisedAt: string;
  value: number;
  message: string;
  /** When it would have resolved (absent: still firing at the window's end). */
  resolvedAt?: string;
}

export interface AlertRulePreview {
  from: string;
  to: string;
  /** Samples and service events the draft was judged on. */
  samples: number;
  events: number;
  firings: PreviewFiring[];
}

/** GET /api/alert-rules/changes `?name=`. */
export const alertRuleHistoryQuerySchema = z.strictObject({
  name: z.string().min(1).max(63).optional(),
});

/** One run-time change of a rule (config rules have none until changed). */
export interface AlertRuleChange {
  name: string;
  change: 'created' | 'updated' | 'deleted';
  rule: AlertRule | null;
  at: string;
  position: number;
  by?: string;
}

export interface AlertRuleHistoryResponse {
  changes: AlertRuleChange[];
}
