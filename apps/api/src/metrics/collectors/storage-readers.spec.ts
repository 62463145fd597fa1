import { deviceMounts, processState, readMountUsage, readProcessCounts } from './storage-readers';

describe('storage readers', () => {
  it('keeps block-device mounts once each, unescaping /proc/mounts octal escapes', () => {
    const procMounts = [
      'proc /proc proc rw,relatime 0 0',
      'tmpfs /dev/shm tmpfs rw,relatime 0 0',
      '/dev/vda / ext4 rw,relatime 0 0',
      '/dev/vdb1 /srv/my\\040data xfs rw 0 0',
      '/dev/loop0 /snap/core/1 squashfs ro 0 0',
      '/dev/vda / ext4 rw,relatime 0 0',
      '',
    ].join('\n');
    expect(deviceMounts(procMounts)).toEqual(['/', '/srv/my data']);
  });

  it("keeps a container's overlay root", () => {
    expect(deviceMounts('overlay / overlay rw,lowerdir=/a 0 0\noverlay /other overlay rw 0 0\n')).toEqual(['/']);
  });

  it('reads the state letter after the command name, even one with spaces and parentheses', () => {
    expect(processState('1234 (node) S 1 1234 1234 0 -1')).toBe('S');
    expect(processState('77 (a (weird) name) R 1 77 77')).toBe('R');
    expect(processState('garbage')).toBeUndefined();
  });

  it('reads this machine: the root mount and at least this process', async () => {
    const mounts = await readMountUsage();
    const root = mounts.find((usage) => usage.mount === '/');
    expect(root?.sizeBytes).toBeGreaterThan(0);
    expect(root?.usedPercent).toBeGreaterThanOrEqual(0);
    expect(root?.usedPercent).toBeLessThanOrEqual(100);
    const counts = await readProcessCounts();
    expect(counts.all).toBeGreaterThanOrEqual(1);
    expect(counts.running + counts.blocked + counts.sleeping).toBeLessThanOrEqual(counts.all);
  });
});
