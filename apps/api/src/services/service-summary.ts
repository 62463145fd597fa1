import { serviceStatus, type ServiceView } from '@vigil/shared';

/** A service as GET /api/services lists it: its view, a status, and each instance's uptime at `now`. */
export interface ServiceSummary extends ServiceView {
  status: 'running' | 'degraded' | 'stopped';
  label?: string;
  /** The node that supervises it (absent: the leader). */
  host?: string;
  instances: (ServiceView['instances'][number] & { uptimeS: number | null })[];
}

export function serviceSummary(view: ServiceView, now: number): ServiceSummary {
  return {
    ...view,
    status: serviceStatus(view),
    instances: view.instances.map((instance) => ({
      ...instance,
      uptimeS: instance.state === 'running' && instance.startedAt ? Math.round((now - Date.parse(instance.startedAt)) / 1000) : null,
    })),
  };
}
