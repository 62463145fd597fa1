/** What a role may do beyond viewing and running commands (checked by `can()` as `{ kind: 'capability' }`). */
export const CAPABILITIES = [
  'alerts.ack',
  'alerts.manage',
  'audit.read',
  'replay',
  'users.manage',
  'metrics.ingest',
  'hosts.manage',
  'incidents.manage',
  'notifications.test',
] as const;
export type Capability = (typeof CAPABILITIES)[number];
