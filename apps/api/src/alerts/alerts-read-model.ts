import type { AlertRule, SilenceView } from '@vigil/shared';

/**
 * What GET /api/alert-rules and GET /api/silences read: AlertsService on the live
 * server, an incident bundle's rules, rule timeline and silences on a review server.
 */
export abstract class AlertsReadModel {
  /** The rules in force now (a review server: at the window's end). */
  abstract ruleList(): AlertRule[];
  /** The rules in force at a past time. */
  abstract rulesAt(at: Date): Promise<AlertRule[]>;
  /** The matcher silences, marked active or not now (a review server: at the window's end). */
  abstract silenceList(): SilenceView[];
}
