import { can, type Capability, type SessionUser } from '@vigil/shared';

export interface NavItem {
  path: string;
  label: string;
  /** Shown only to roles with this capability (the API enforces the same). */
  capability?: Capability;
}

/** The pages of the header, in order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Dashboard' },
  { path: '/services', label: 'Services' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/approvals', label: 'Approvals' },
  { path: '/audit', label: 'Audit', capability: 'audit.read' },
  { path: '/replay', label: 'Replay', capability: 'replay' },
  { path: '/admin/users', label: 'Users', capability: 'users.manage' },
  { path: '/hosts', label: 'Hosts', capability: 'hosts.manage' },
  { path: '/incidents', label: 'Incidents' },
  { path: '/notifications', label: 'Notifications' },
];

/** The one page a review server (`vigil review FILE`) has: the bundle's replay. */
export const REVIEW_PATH = '/replay';
/** Pages a review server also has: the bundle's incident, when it holds one. */
const REVIEW_PATHS: readonly string[] = [REVIEW_PATH, '/incidents'];

/** The pages this user may open, decided by the shared `can()`; on a review server only the replay. */
export function navItemsFor(user: Pick<SessionUser, 'grants'> | null | undefined, review = false): NavItem[] {
  return NAV_ITEMS.filter(
    (item) =>
      (!review || REVIEW_PATHS.includes(item.path)) && (!item.capability || can(user, { kind: 'capability', capability: item.capability })),
  );
}

/** `nav-alerts` for `/alerts`, `nav-dashboard` for `/`. */
export function navTestId(item: NavItem): string {
  return `nav-${item.path === '/' ? 'dashboard' : item.path.slice(1).replaceAll('/', '-')}`;
}
