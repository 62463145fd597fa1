import { alertView } from '../../../testing/alerts';
import { ALERT_PANEL_LIMIT, panelAlerts } from './alert-list';

const NOW = Date.parse('2026-01-01T13:00:00.000Z');
const minute = (m: number) => new Date(Date.parse('2026-01-01T12:00:00.000Z') + m * 60_000).toISOString();

describe('panelAlerts (what the alerts panel lists)', () => {
  it('puts firing alerts first, each group newest first', () => {
    const oldFiring = alertView({ startedAt: minute(1) });
    const newResolved = alertView({ startedAt: minute(30), state: 'resolved', resolvedAt: minute(31) });
    const newFiring = alertView({ startedAt: minute(20) });
    const oldResolved = alertView({ startedAt: minute(2), state: 'resolved', resolvedAt: minute(3) });
    const ids = panelAlerts([oldResolved, newResolved, oldFiring, newFiring], {}, NOW).map((a) => a.alertId);
    expect(ids).toEqual([newFiring.alertId, oldFiring.alertId, newResolved.alertId, oldResolved.alertId]);
  });

  it(`keeps at most ${ALERT_PANEL_LIMIT}, dropping the oldest resolved ones and never a firing one`, () => {
    const resolved = Array.from({ length: 60 }, (_, i) =>
      alertView({ startedAt: minute(i + 10), state: 'resolved', resolvedAt: minute(i + 11) }),
    );
    const firing = alertView({ startedAt: minute(0) });
    const shown = panelAlerts([...resolved, firing], {}, NOW);
    expect(shown).toHaveLength(ALERT_PANEL_LIMIT);
    expect(shown[0]?.alertId).toBe(firing.alertId);
    // The 49 newest resolved follow; the 11 oldest are cut.
    expect(shown.slice(1).map((a) => a.startedAt)).toEqual(
      resolved
        .slice(11)
        .reverse()
        .map((a) => a.startedAt),
    );
    expect(panelAlerts([...resolved, firing], {}, NOW, 5)).toHaveLength(5);
  });

  it("filters by the header's environment and keeps host-wide alerts", () => {
    const staging = alertView({ environment: 'staging' });
    const production = alertView({ environment: 'production' });
    const host = alertView({ environment: undefined });
    expect(
      panelAlerts([staging, production, host], { environment: 'staging' }, NOW)
        .map((a) => a.alertId)
        .sort(),
    ).toEqual([staging.alertId, host.alertId].sort());
    expect(panelAlerts([staging, production, host], {}, NOW)).toHaveLength(3);
  });

  it('filters by severity and by state (acknowledged, and silenced only while the silence lasts)', () => {
    const critical = alertView({ severity: 'critical' });
    const acked = alertView({ acknowledged: { by: 'olivia', comment: '', at: minute(5) } });
    const silenced = alertView({ silenced: { by: 'olivia', until: minute(90), reason: 'x', at: minute(5), silenceId: 's1' } });
    const expired = alertView({ silenced: { by: 'olivia', until: minute(50), reason: 'x', at: minute(5), silenceId: 's2' } });
    const resolved = alertView({ state: 'resolved', resolvedAt: minute(6) });
    const all = [critical, acked, silenced, expired, resolved];
    expect(panelAlerts(all, { severity: 'critical' }, NOW).map((a) => a.alertId)).toEqual([critical.alertId]);
    expect(panelAlerts(all, { state: 'acknowledged' }, NOW).map((a) => a.alertId)).toEqual([acked.alertId]);
    expect(panelAlerts(all, { state: 'silenced' }, NOW).map((a) => a.alertId)).toEqual([silenced.alertId]);
    expect(panelAlerts(all, { state: 'resolved' }, NOW).map((a) => a.alertId)).toEqual([resolved.alertId]);
    expect(panelAlerts(all, { state: 'firing' }, NOW)).toHaveLength(4);
  });
});
