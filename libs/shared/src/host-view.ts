import type { StoredEvent } from './events';
import type { HostView } from './host-events';

/** evolve() for the hosts: folds `host.*` events into the views by host name (a new record only on change). */
export function evolveHosts(hosts: Record<string, HostView>, event: StoredEvent): Record<string, HostView> {
  if (!event.type.startsWith('host.')) return hosts;
  const name = (event.data as { name?: string }).name;
  if (!name) return hosts;
  const current = hostNamed(hosts, name);
  switch (event.type) {
    case 'host.enrolled':
      return {
        ...hosts,
        [name]: { name, labels: event.data.labels, status: 'offline', enrolledAt: event.time, services: [], position: event.position },
      };
    case 'host.revoked':
      return current ? { ...hosts, [name]: { ...current, status: 'revoked', position: event.position } } : hosts;
    case 'host.online':
      return current && current.status !== 'revoked'
        ? {
            ...hosts,
            [name]: {
              ...current,
              status: 'online',
              agentVersion: event.data.agentVersion,
              lastSeenAt: event.time,
              position: event.position,
            },
          }
        : hosts;
    case 'host.offline':
      return current && current.status !== 'revoked'
        ? { ...hosts, [name]: { ...current, status: 'offline', lastSeenAt: event.data.lastSeenAt, position: event.position } }
        : hosts;
    case 'host.declared':
      return current ? { ...hosts, [name]: { ...current, services: event.data.services, position: event.position } } : hosts;
    default:
      return hosts;
  }
}

/** A host by name (own keys only). */
export function hostNamed(hosts: Readonly<Record<string, HostView>>, name: string): HostView | undefined {
  return Object.hasOwn(hosts, name) ? hosts[name] : undefined;
}

/** The host that owns a service (environment, name), if an agent declared it. */
export function hostOfService(hosts: Readonly<Record<string, HostView>>, environment: string, service: string): string | undefined {
  for (const host of Object.values(hosts)) {
    if (host.status === 'revoked') continue;
    if (host.services.some((s) => s.environment === environment && s.service === service)) return host.name;
  }
  return undefined;
}
