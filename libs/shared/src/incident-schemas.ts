import { z } from 'zod';
import { idSchema, isoInstantSchema } from './field-schemas';
import { INCIDENT_STATUSES } from './incident-events';
import { SEVERITIES } from './severities';

/** Requests of /api/incidents (and maintenance marks). */

const title = z.string().trim().min(1).max(200);
const username = z.string().min(1).max(64);

/** POST /api/incidents */
export const openIncidentBodySchema = z
  .strictObject({
    title,
    severity: z.enum(SEVERITIES),
    from: isoInstantSchema,
    to: isoInstantSchema.optional(),
    origin: z.strictObject({ kind: z.enum(['alert', 'command', 'replay']), id: z.string().min(1).max(100).optional() }).optional(),
  })
  .refine((b) => b.to === undefined || Date.parse(b.to) > Date.parse(b.from), { error: 'to must be after from', path: ['to'] });

/** PATCH /api/incidents/:id: each given field becomes its own event. */
export const patchIncidentBodySchema = z
  .strictObject({
    title: title.optional(),
    severity: z.enum(SEVERITIES).optional(),
    commander: username.nullable().optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
    from: isoInstantSchema.optional(),
    to: isoInstantSchema.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');

/** POST /api/incidents/:id/notes */
export const incidentNoteBodySchema = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  at: isoInstantSchema,
  amends: idSchema.optional(),
});

/** POST /api/incidents/:id/pins */
export const incidentPinBodySchema = z.strictObject({
  position: z.number().int().min(1),
  reason: z.string().trim().min(1).max(500),
});

/** POST /api/maintenance: mark a past window as maintenance (an annotation). */
export const maintenanceMarkBodySchema = z
  .strictObject({
    from: isoInstantSchema,
    to: isoInstantSchema,
    reason: z.string().trim().min(1).max(500),
    environment: z.string().min(1).max(63).optional(),
  })
  .refine((b) => Date.parse(b.to) > Date.parse(b.from), { error: 'to must be after from', path: ['to'] })
  .refine((b) => Date.parse(b.to) <= Date.now(), { error: 'only a past window can be marked', path: ['to'] });

export const incidentListQuerySchema = z.strictObject({
  status: z.enum(INCIDENT_STATUSES).optional(),
});

/** GET /api/notifications */
export const notificationListQuerySchema = z.strictObject({
  kind: z.enum(['delivered', 'failed', 'escalated']).optional(),
  target: z.string().min(1).max(63).optional(),
  alertId: z.string().min(1).max(100).optional(),
  from: isoInstantSchema.optional(),
  to: isoInstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
