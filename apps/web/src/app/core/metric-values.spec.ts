import { sumNetwork } from './metric-values';

describe('metric values', () => {
  it('sums network rates over interfaces except lo', () => {
    const values = {
      'net.lo.rx_bytes_per_s': 1_000_000,
      'net.eth0.rx_bytes_per_s': 1000,
      'net.wlan0.rx_bytes_per_s': 24,
      'net.eth0.tx_bytes_per_s': 10,
      cpu_percent: 5,
    };
    expect(sumNetwork(values, 'rx_bytes_per_s')).toBe(1024);
    expect(sumNetwork(values, 'tx_bytes_per_s')).toBe(10);
    expect(sumNetwork({ 'net.lo.tx_bytes_per_s': 3 }, 'tx_bytes_per_s')).toBeUndefined();
  });
});
