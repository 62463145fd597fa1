import { silenceActiveAt, silencesCovering, type AlertView, type SilenceView } from './alerts';

const T = Date.parse('2026-11-27T03:00:00.000Z');
const silence = (
  silenceId: string,
  matchers: SilenceView['matchers'],
  createdAt = T,
  until = T + 60_000,
): Pick<SilenceView, 'silenceId' | 'matchers' | 'createdAt' | 'until'> => ({
  silenceId,
  matchers,
  createdAt: new Date(createdAt).toISOString(),
  until: new Date(until).toISOString(),
});
const alert: Pick<AlertView, 'environment' | 'rule' | 'labels'> = { environment: 'staging', rule: 'cpu-high', labels: { team: 'ops' } };

describe('matcher silences in time', () => {
  it('are in force from their making until `until` (excluded)', () => {
    const s = silence('s', { rule: 'cpu-high' });
    expect([T - 1, T, T + 59_999, T + 60_000].map((now) => silenceActiveAt(s, now))).toEqual([false, true, true, false]);
  });

  it('cover the alerts all their matchers match, while in force', () => {
    const silences = [
      silence('rule', { rule: 'cpu-high' }),
      silence('env-and-label', { environment: 'staging', labels: { team: 'ops' } }),
      silence('other-env', { environment: 'production' }),
      silence('other-label', { labels: { team: 'web' } }),
      silence('later', { rule: 'cpu-high' }, T + 30_000),
    ];
    expect(silencesCovering(silences, alert, T + 1_000).map((s) => s.silenceId)).toEqual(['rule', 'env-and-label']);
    expect(silencesCovering(silences, alert, T + 40_000).map((s) => s.silenceId)).toEqual(['rule', 'env-and-label', 'later']);
    expect(silencesCovering(silences, alert, T + 60_000)).toEqual([]);
  });
});
