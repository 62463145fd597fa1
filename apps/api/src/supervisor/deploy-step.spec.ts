import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, ENV, health, options, supervisorHarness, waitFor } from '../../../../test/support/supervisor-harness';
import { isAlive } from './proc';

jest.setTimeout(60_000);

/** The deploy step (Supervisor.runDeployStep): output, progress, the version file, cancel and timeout. */
describe('Supervisor deploy step', () => {
  const h = supervisorHarness(21300);
  const { make, demoService, seenPids } = h;

  it('runs a deploy step: output in order, PROGRESS lines as progress, the version written', async () => {
    const sup = await make([
      demoService('web', { env: { DEMO_DEPLOY_STEP_MS: '20' }, deploy: { command: 'node', args: [DEMO('deploy.mjs')] } }),
    ]);
    expect(sup.currentVersion(ENV, 'web')).toBe('1.0.0');
    const run = options();
    await sup.runDeployStep(ENV, 'web', '2.1.0', run);
    expect(run.timeline).toEqual([
      'stdout: deploying web 2.1.0 to test',
      'progress 0 fetching build',
      'stdout:   fetching build: web-2.1.0.tar.gz',
      'progress 25 verifying checksum',
      'stdout:   verifying checksum: web-2.1.0.tar.gz',
      'progress 50 running migrations',
      'stdout:   running migrations: web-2.1.0.tar.gz',
      'progress 75 switching release',
      'stdout:   switching release: web-2.1.0.tar.gz',
      'progress 100 release 2.1.0 in place',
      'stdout: deploy step done',
    ]);
    expect(sup.currentVersion(ENV, 'web')).toBe('2.1.0');
    expect(readFileSync(join(h.dir, 'deploy', ENV, 'web', 'VERSION'), 'utf8')).toBe('2.1.0\n');

    // The next start reports the deployed version.
    await sup.start(ENV, 'web', options());
    expect((await health(sup.status(ENV)[0].instances[0].port!)).version).toBe('2.1.0');
    expect(sup.status(ENV)[0].version).toBe('2.1.0');
  });

  it('fails a deploy step that exits non-zero, with its code', async () => {
    const sup = await make([
      demoService('web', {
        deploy: { command: 'node', args: ['-e', 'console.log("about to fail"); console.error("boom"); process.exit(3)'] },
      }),
    ]);
    const run = options();
    await expect(sup.runDeployStep(ENV, 'web', '9.9.9', run)).rejects.toThrow(/exited with code 3/);
    expect(run.lines).toEqual([
      { stream: 'stdout', text: 'about to fail' },
      { stream: 'stderr', text: 'boom' },
    ]);
    expect(sup.currentVersion(ENV, 'web')).toBe('1.0.0');
    await expect(sup.runDeployStep(ENV, 'web', 'bad\nversion', options())).rejects.toThrow(/one line/);
  });

  it('kills a running deploy step when the signal aborts, and on its timeout', async () => {
    const script = 'console.log("pid " + process.pid); setInterval(() => console.log("tick"), 50)';
    const sup = await make([
      demoService('web', { stopGraceSeconds: 1, deploy: { command: 'node', args: ['-e', script] } }),
      demoService('api', { stopGraceSeconds: 1, deploy: { command: 'node', args: ['-e', script], timeoutSeconds: 0.5 } }),
    ]);
    const run = options();
    const deploying = sup.runDeployStep(ENV, 'web', '3.0.0', run);
    const pid = await waitFor(
      () => {
        const line = run.lines.find((l) => l.text.startsWith('pid '));
        return line ? Number(line.text.slice(4)) : undefined;
      },
      5000,
      'deploy pid',
    );
    seenPids.add(pid);
    await waitFor(() => run.lines.some((l) => l.text === 'tick'), 5000, 'tick');
    run.controller.abort(new Error('cancelled by test'));
    await expect(deploying).rejects.toThrow('cancelled by test');
    expect(isAlive(pid)).toBe(false);

    const timed = options();
    await expect(sup.runDeployStep(ENV, 'api', '3.0.0', timed)).rejects.toThrow(/timed out after 0.5 s/);
    const timedPid = Number(timed.lines.find((l) => l.text.startsWith('pid '))!.text.slice(4));
    expect(isAlive(timedPid)).toBe(false);
    expect(JSON.parse(readFileSync(join(h.dir, 'supervisor', 'children.json'), 'utf8'))).toEqual([]);
  });
});
