import type { CommandView } from '@vigil/shared';
import { activityRow } from './activity-row';

const NOW = Date.parse('2026-01-01T00:10:00.000Z');

describe('activity feed', () => {
  const deploy: CommandView = {
    commandId: 'c-1',
    type: 'deploy',
    target: 'web-server',
    environment: 'staging',
    params: { version: '2.1.0' },
    state: 'running',
    actor: { id: 'u', username: 'olivia', roles: ['operator'] },
    acceptedAt: '2026-01-01T00:09:00.000Z',
    acceptedPosition: 3,
    startedAt: '2026-01-01T00:09:50.000Z',
    progress: { percent: 42.4, step: 'build' },
    output: [],
    position: 5,
  };

  it('shows who, what, where, a running duration and deploy progress', () => {
    expect(activityRow(deploy, NOW)).toEqual({
      commandId: 'c-1',
      who: 'olivia',
      what: 'deploy',
      target: 'web-server',
      environment: 'staging',
      state: 'running',
      duration: '10.0 s',
      deploy: true,
      percent: 42,
      step: 'build',
      terminal: false,
    });
  });

  it('uses the reported duration once finished and no progress bar for other commands', () => {
    const done = activityRow(
      { ...deploy, type: 'restart', state: 'completed', durationMs: 1_234, progress: undefined, actor: undefined },
      NOW,
    );
    expect(done).toMatchObject({ who: 'system', duration: '1.2 s', deploy: false, percent: null, terminal: true });
  });

  it('shows a deploy indeterminate before its first report, full when completed, and where it stopped otherwise', () => {
    const rowOf = (changes: Partial<CommandView>) => activityRow({ ...deploy, ...changes }, NOW);
    expect(rowOf({ progress: undefined })).toMatchObject({ deploy: true, percent: null, step: null });
    expect(rowOf({ state: 'completed', progress: { percent: 80, step: 'rolling restart' } })).toMatchObject({ percent: 100 });
    expect(rowOf({ state: 'failed', progress: { percent: 60, step: 'verify' } })).toMatchObject({ percent: 60, step: 'verify' });
    expect(rowOf({ state: 'failed', progress: undefined })).toMatchObject({ percent: 0 });
  });
});
