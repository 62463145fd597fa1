import type { AlertView, CommandView } from '@vigil/shared';
import { announcementsFor, emptyAnnounced } from './announcements';

const command = (commandId: string, state: CommandView['state']): CommandView =>
  ({
    commandId,
    type: 'restart',
    target: 'web',
    environment: 'staging',
    params: {},
    state,
    acceptedAt: '',
    acceptedPosition: 1,
  }) as CommandView;
const alert = (alertId: string, state: AlertView['state']): AlertView =>
  ({ alertId, rule: 'cpu-high', source: 'host', severity: 'critical', state }) as AlertView;

describe('announcementsFor', () => {
  it('reads out nothing of what was there when the page opened', () => {
    const seen = emptyAnnounced();
    expect(announcementsFor(seen, [command('a', 'completed')], [alert('x', 'firing')], true)).toEqual([]);
    expect(announcementsFor(seen, [command('a', 'completed')], [alert('x', 'firing')], false)).toEqual([]);
  });

  it('says once when a command ends and when an alert starts firing', () => {
    const seen = emptyAnnounced();
    announcementsFor(seen, [command('a', 'running')], [], true);
    expect(announcementsFor(seen, [command('a', 'failed')], [alert('y', 'firing')], false)).toEqual([
      'Command restart on web in staging failed.',
      'Alert firing: cpu-high on host, critical.',
    ]);
    expect(announcementsFor(seen, [command('a', 'failed')], [alert('y', 'firing')], false)).toEqual([]);
    expect(announcementsFor(seen, [command('b', 'accepted')], [alert('z', 'resolved')], false)).toEqual([]);
  });
});
