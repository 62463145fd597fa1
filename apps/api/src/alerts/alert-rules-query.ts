import { z } from 'zod';

/** GET /api/alert-rules `?at=`: the rules as they were then (a replay's cards are judged by them). */
export const alertRulesQuerySchema = z.strictObject({
  at: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-11-27T03:00:00.000Z' }).optional(),
});
