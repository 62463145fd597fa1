/** What a role may do beyond viewing and running commands (checked by `can()` as `{ kind: 'capability' }`). */
export const CAPABILITIES = ['alerts.ack', 'alerts.manage', 'audit.read', 'replay', 'users.manage', 'metrics.ingest'] as const;
export type Capability = (typeof CAPABILITIES)[number];
