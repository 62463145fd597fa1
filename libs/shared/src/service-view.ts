import type { StoredEvent } from './events';

export type InstanceState = 'running' | 'stopped' | 'crashed';

export interface InstanceView {
  index: number;
  pid: number | null;
  port: number | null;
  state: InstanceState;
  startedAt: string | null;
  /** Automatic restarts by the restart policy. */
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: string; expected: boolean };
}

/** A supervised service as the events describe it. */
export interface ServiceView {
  environment: string;
  service: string;
  version: string;
  /** Instances asked for by the last scale (or the first start). */
  desiredInstances: number;
  instances: InstanceView[];
  restarts: number;
  lastDeploy?: { version: string; previousVersion?: string; at: string; commandId?: string };
  /** The enrolled host whose agent runs it (from the events' meta); absent for this server's own services. */
  host?: string;
  /** Position of the last event folded in. */
  position: number;
}

export function serviceKey(environment: string, service: string): string {
  return `${environment}/${service}`;
}

export function serviceStatus(view: ServiceView): 'running' | 'degraded' | 'stopped' {
  const running = view.instances.filter((instance) => instance.state === 'running').length;
  if (running === 0) return 'stopped';
  return running >= Math.max(1, view.desiredInstances) ? 'running' : 'degraded';
}

/** The fields service events may carry (all optional beyond the identity). */
interface ServiceEventFields {
  service: string;
  environment: string;
  instance?: unknown;
  pid?: unknown;
  port?: unknown;
  version?: unknown;
  previousVersion?: unknown;
  commandId?: unknown;
  reason?: unknown;
  code?: unknown;
  signal?: unknown;
  expected?: unknown;
  to?: unknown;
}

function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function withInstance(view: ServiceView, index: number, change: (instance: InstanceView) => InstanceView): InstanceView[] {
  const instances = view.instances.slice();
  const at = instances.findIndex((instance) => instance.index === index);
  const current: InstanceView = at >= 0 ? instances[at] : { index, pid: null, port: null, state: 'stopped', startedAt: null, restarts: 0 };
  const next = change(current);
  if (at >= 0) instances[at] = next;
  else instances.push(next);
  return instances.sort((a, b) => a.index - b.index);
}

/** evolve() for one service, from its `service.*` events. */
export function evolveService(view: ServiceView | undefined, event: StoredEvent): ServiceView | undefined {
  if (!event.type.startsWith('service.')) return view;
  const data = event.data as ServiceEventFields;
  const current: ServiceView = view ?? {
    environment: data.environment,
    service: data.service,
    version: '1.0.0',
    desiredInstances: 0,
    instances: [],
    restarts: 0,
    position: 0,
  };
  const index = num(data.instance) ?? 0;
  const next = evolveOne(current, event, data, index);
  if (!next) return view;
  return event.meta.host && next.host !== event.meta.host ? { ...next, host: event.meta.host } : next;
}

/** One service event applied; undefined when it changes nothing. */
function evolveOne(current: ServiceView, event: StoredEvent, data: ServiceEventFields, index: number): ServiceView | undefined {
  switch (event.type) {
    case 'service.started': {
      // Restarts count what the restart policy did (crash loops show up here);
      // starts by commands and by Vigil's own boot do not.
      const isRestart = data.reason === 'policy';
      return {
        ...current,
        version: typeof data.version === 'string' ? data.version : current.version,
        desiredInstances: Math.max(current.desiredInstances, index + 1),
        instances: withInstance(current, index, (instance) => ({
          ...instance,
          pid: num(data.pid),
          port: num(data.port),
          state: 'running',
          startedAt: event.time,
          restarts: instance.restarts + (isRestart ? 1 : 0),
        })),
        restarts: current.restarts + (isRestart ? 1 : 0),
        position: event.position,
      };
    }
    case 'service.exited':
    case 'service.stopped': {
      const expected = event.type === 'service.stopped' || data.expected === true;
      return {
        ...current,
        instances: withInstance(current, index, (instance) => ({
          ...instance,
          state: expected ? 'stopped' : 'crashed',
          pid: null,
          lastExit: { code: num(data.code), signal: typeof data.signal === 'string' ? data.signal : null, at: event.time, expected },
        })),
        position: event.position,
      };
    }
    case 'service.scaled': {
      const to = num(data.to) ?? current.desiredInstances;
      return {
        ...current,
        desiredInstances: to,
        instances: current.instances.filter((instance) => instance.index < to || instance.state === 'running'),
        position: event.position,
      };
    }
    case 'service.deployed':
      return {
        ...current,
        version: typeof data.version === 'string' ? data.version : current.version,
        lastDeploy: {
          version: String(data.version),
          previousVersion: typeof data.previousVersion === 'string' ? data.previousVersion : undefined,
          at: event.time,
          commandId: typeof data.commandId === 'string' ? data.commandId : undefined,
        },
        position: event.position,
      };
    default:
      return undefined;
  }
}
