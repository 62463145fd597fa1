import { totalmem } from 'node:os';
import { HostStorageCollector, mountSegment } from './host-storage.collector';
import { HostCollector } from './host.collector';

describe('host collectors on this machine', () => {
  it('reports CPU in 0..100, the real memory total, and rates for at least one interface', async () => {
    const collector = new HostCollector(1000, 5000);
    await collector.collect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const values = await collector.collect();
    expect(values.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(values.cpu_percent).toBeLessThanOrEqual(100);
    expect(values['cpu.core0_percent']).toBeGreaterThanOrEqual(0);
    expect(values['memory.total_bytes']).toBe(totalmem());
    expect(values.memory_percent).toBeGreaterThan(0);
    expect(values.memory_percent).toBeLessThan(100);
    const interfaces = Object.keys(values).filter((name) => /^net\..+\.rx_bytes_per_s$/.test(name));
    expect(interfaces.length).toBeGreaterThanOrEqual(1);
    for (const name of interfaces) expect(values[name]).toBeGreaterThanOrEqual(0);
    expect(collector.describe('cpu_percent')).toEqual({ name: 'cpu_percent', unit: '%', kind: 'gauge' });
    expect(collector.describe('disk.read_bytes_per_s')).toEqual({ name: 'disk.read_bytes_per_s', unit: 'B/s', kind: 'rate' });
  });

  it('reports disk usage per mount and process counts', async () => {
    const values = await new HostStorageCollector(10_000, 10_000).collect();
    expect(values['fs.root.size_bytes']).toBeGreaterThan(0);
    expect(values['fs.root.used_percent']).toBeGreaterThanOrEqual(0);
    expect(values['processes.all']).toBeGreaterThan(0);
  });

  it('turns mount points into metric name segments', () => {
    expect(mountSegment('/')).toBe('root');
    expect(mountSegment('/var/lib/docker')).toBe('var_lib_docker');
  });
});
