import type { AlertRaisedData, AlertView } from '@vigil/shared';
import { isCausedByHost, withHostCause } from './host-cause';

const raised = (source: string): AlertRaisedData =>
  ({ alertId: 'a', source, environment: 'staging', labels: { team: 'ops' } }) as unknown as AlertRaisedData;
const hosts = (online: boolean) => ({
  hostOfService: (_env: string, service: string) => (service === 'web-1' ? 'edge-1' : undefined),
  isOnline: () => online,
});

describe('withHostCause', () => {
  it("marks an alert of an offline host's service as caused by the host's alert", () => {
    const firing = [{ alertId: 'host-alert', source: 'host@edge-1', state: 'firing' }] as AlertView[];
    const marked = withHostCause(raised('web-1'), hosts(true), firing);
    expect(marked.labels).toEqual({ team: 'ops', host: 'edge-1', causedBy: 'host-alert' });
    expect(isCausedByHost(marked)).toBe(true);
    expect(withHostCause(raised('web-1'), hosts(false), []).labels.causedBy).toBe('host:edge-1');
  });

  it('leaves alone services of online hosts, local services and the host alert itself', () => {
    expect(isCausedByHost(withHostCause(raised('web-1'), hosts(true), []))).toBe(false);
    expect(isCausedByHost(withHostCause(raised('local'), hosts(false), []))).toBe(false);
    expect(isCausedByHost(withHostCause(raised('host@edge-1'), hosts(false), []))).toBe(false);
  });
});
