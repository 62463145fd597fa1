import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, ENV, health, options, supervisorHarness, waitFor } from '../../../../test/support/supervisor-harness';
import type { ChildRecord } from './children-file';
import { isAlive } from './proc';
import type { LogLine } from './supervisor.types';

jest.setTimeout(60_000);

describe('Supervisor', () => {
  const h = supervisorHarness(21100);
  const { make, pidsOf, events, demoService, seenPids } = h;

  it('starts instances, waits until healthy, appends service.started and keeps their logs', async () => {
    process.env.VIGIL_TEST_SECRET = 'do-not-leak';
    const sup = await make([demoService('web', { env: { GREETING: 'hi' } })]);
    const run = options();
    await sup.start(ENV, 'web', run);

    const [status] = sup.status(ENV);
    expect(status).toMatchObject({ environment: ENV, service: 'web', version: '1.0.0', desiredInstances: 1 });
    expect(status.instances).toHaveLength(1);
    expect(status.instances[0]).toMatchObject({ index: 0, status: 'running', restarts: 0 });
    const port = status.instances[0].port!;
    const pid = pidsOf('web')[0];
    expect(await health(port)).toMatchObject({ pid, instance: 0, version: '1.0.0' });

    const started = (await events('web')).filter((e) => e.type === 'service.started');
    expect(started).toHaveLength(1);
    expect(started[0].data).toEqual({ service: 'web', environment: ENV, instance: 0, pid, port, version: '1.0.0', reason: 'command' });
    expect(started[0].meta).toEqual({ environment: ENV, correlationId: run.correlationId, causationId: 'cause-1' });

    // Minimal environment: the service's own env and its identity, not Vigil's.
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('GREETING=hi');
    expect(environ).toContain(`PORT=${port}`);
    expect(environ).toContain('VIGIL_SERVICE=web');
    expect(environ).toContain(`VIGIL_VERSION_FILE=${join(h.dir, 'deploy', ENV, 'web', 'VERSION')}`);
    expect(environ.some((v) => v.startsWith('VIGIL_TEST_SECRET='))).toBe(false);

    // Its own process group; recorded in the PID file.
    expect(Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2])).toBe(pid);
    const recorded: unknown = JSON.parse(readFileSync(join(h.dir, 'supervisor', 'children.json'), 'utf8'));
    expect(recorded).toEqual([
      expect.objectContaining({
        pid,
        command: process.execPath,
        args: [DEMO('web-server.mjs')],
        environment: ENV,
        service: 'web',
        instance: 0,
      }),
    ]);

    // Logs and followers.
    const followed: LogLine[] = [];
    const unsubscribe = sup.followLogs(ENV, 'web', (line) => followed.push(line));
    await fetch(`http://127.0.0.1:${port}/page/1`).then((r) => r.text());
    await waitFor(() => followed.some((l) => l.text.includes('GET /page/1 200')), 5000, 'followed log line');
    unsubscribe();
    const logs = sup.logs(ENV, 'web', 100);
    expect(logs[0]).toMatchObject({ instance: 0, stream: 'stdout' });
    expect(logs[0].text).toMatch(/web@test #0 version 1.0.0 listening on \d+/);
    expect(logs.at(-1)!.text).toContain('GET /page/1 200');
    expect(sup.logs(ENV, 'web', 1)).toHaveLength(1);

    // Starting again is a no-op for running instances.
    await sup.start(ENV, 'web', options());
    expect(pidsOf('web')).toEqual([pid]);
    delete process.env.VIGIL_TEST_SECRET;
  });

  it('reports per-process CPU and RSS plus the summed Prometheus metrics of its instances', async () => {
    const sup = await make([demoService('web', { instances: 2 })], true);
    expect(pidsOf('web')).toHaveLength(2);
    const collector = h.registry.collectors.find((c) => c.source === 'web' && c.environment === ENV)!;
    expect(collector.intervalMs).toBe(5000);
    const first = await collector.collect();
    expect(first.instances_running).toBe(2);
    expect(first['instance0.rss_bytes']).toBeGreaterThan(1_000_000);
    expect(first.rss_bytes).toBe(first['instance0.rss_bytes'] + first['instance1.rss_bytes']);
    expect(first['instance1.cpu_percent']).toBeGreaterThanOrEqual(0);
    expect(first['demo_version_info{version="1.0.0"}']).toBe(2);
    expect(collector.describe('rss_bytes')).toMatchObject({ unit: 'B' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await collector.collect();
    expect(second.cpu_percent).toBeCloseTo(second['instance0.cpu_percent'] + second['instance1.cpu_percent'], 5);
    expect(Object.keys(second).some((k) => k.startsWith('demo_requests_total_per_s'))).toBe(true);
    expect(collector.describe('demo_requests_total_per_s{code="200"}').kind).toBe('rate');
    await sup.stop(ENV, 'web', options());
    expect((await collector.collect()).instances_running).toBe(0);
  });

  it('restarts instance by instance with a new PID each, answering HTTP again', async () => {
    const sup = await make([demoService('web', { instances: 2 })], true);
    const before = pidsOf('web');
    expect(before).toHaveLength(2);
    const run = options();
    await sup.restart(ENV, 'web', run);
    const after = pidsOf('web');
    expect(after).toHaveLength(2);
    expect(after.some((pid) => before.includes(pid))).toBe(false);
    before.forEach((pid) => {
      expect(isAlive(pid)).toBe(false);
    });
    const [status] = sup.status(ENV);
    for (const inst of status.instances) expect((await health(inst.port!)).pid).toBe(inst.pid);
    const exited = (await events('web')).filter((e) => e.type === 'service.exited');
    expect(exited.map((e) => e.data.expected)).toEqual([true, true]);
    expect(exited.every((e) => e.meta.correlationId === run.correlationId)).toBe(true);
    expect(run.steps.at(-1)).toEqual([100, 'restarted']);
  });

  it('restarts a killed instance by policy (always, on-failure) and records the unexpected exit', async () => {
    const sup = await make(
      [
        demoService('web', { restart: { policy: 'always', initialBackoffMs: 100 } }),
        demoService('api', { args: [DEMO('api-server.mjs')] }),
      ],
      true,
    );
    for (const name of ['web', 'api']) {
      const [pid] = pidsOf(name);
      process.kill(pid, 'SIGKILL');
      const exited = await waitFor(async () => (await events(name)).find((e) => e.type === 'service.exited'), 5000, `${name} exit event`);
      expect(exited.data).toMatchObject({
        service: name,
        environment: ENV,
        instance: 0,
        pid,
        code: null,
        signal: 'SIGKILL',
        expected: false,
      });
      const status = await waitFor(
        () => {
          const s = sup.status(ENV).find((x) => x.service === name)!;
          return s.instances[0].status === 'running' && s.instances[0].pid !== pid ? s : undefined;
        },
        15_000,
        `${name} restart`,
      );
      expect(status.instances[0].restarts).toBe(1);
      expect(status.instances[0].lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
      const newPid = pidsOf(name)[0];
      expect((await health(status.instances[0].port!)).pid).toBe(newPid);
      const started = (await events(name)).filter((e) => e.type === 'service.started');
      expect(started.map((e) => e.data.pid)).toEqual([pid, newPid]);
    }
  });

  it('does not restart under on-failure after a clean exit, nor under never; a stopped service stays stopped', async () => {
    const sup = await make(
      [demoService('web'), demoService('api', { args: [DEMO('api-server.mjs')], restart: { policy: 'never' } })],
      true,
    );
    const [webPid] = pidsOf('web');
    process.kill(webPid, 'SIGTERM'); // the demo exits 0 on SIGTERM
    const [apiPid] = pidsOf('api');
    process.kill(apiPid, 'SIGKILL');
    await waitFor(() => sup.status(ENV).every((s) => s.instances[0].pid === null), 5000, 'exits');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const byName = Object.fromEntries(sup.status(ENV).map((s) => [s.service, s.instances[0]]));
    expect(byName.web).toMatchObject({ status: 'stopped', pid: null, restarts: 0, lastExit: { code: 0, signal: null } });
    expect(byName.api).toMatchObject({ status: 'crashed', pid: null, restarts: 0 });

    // stop(): SIGTERM, expected exit, service.stopped, no restart afterwards.
    await sup.start(ENV, 'web', options());
    const [again] = pidsOf('web');
    const run = options();
    await sup.stop(ENV, 'web', run);
    expect(isAlive(again)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const web = sup.status(ENV).find((s) => s.service === 'web')!;
    expect(web.desiredInstances).toBe(1);
    expect(web.instances[0]).toMatchObject({ status: 'stopped', pid: null });
    const stopped = (await events('web')).filter((e) => e.type === 'service.stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0].data).toMatchObject({ instance: 0, pid: again });
    expect(stopped[0].meta.correlationId).toBe(run.correlationId);
  });

  it('scales 1 → 3 → 1 leaving exactly the right processes alive', async () => {
    const sup = await make([demoService('web')], true);
    const [first] = pidsOf('web');
    expect(await sup.scale(ENV, 'web', 3, options())).toEqual({ from: 1, to: 3 });
    const three = pidsOf('web');
    expect(three).toHaveLength(3);
    expect(three[0]).toBe(first);
    three.forEach((pid) => {
      expect(() => process.kill(pid, 0)).not.toThrow();
    });
    const ports3 = sup.status(ENV)[0].instances.map((i) => i.port!);
    for (const [i, port] of ports3.entries()) expect((await health(port)).instance).toBe(i);

    expect(await sup.scale(ENV, 'web', 1, options())).toEqual({ from: 3, to: 1 });
    expect(pidsOf('web')).toEqual([first]);
    expect(() => process.kill(first, 0)).not.toThrow();
    for (const pid of three.slice(1)) expect(isAlive(pid)).toBe(false);
    expect(sup.status(ENV)[0]).toMatchObject({ desiredInstances: 1, instances: [{ index: 0, status: 'running' }] });

    const scaled = (await events('web')).filter((e) => e.type === 'service.scaled').map((e) => e.data);
    expect(scaled).toEqual([
      { service: 'web', environment: ENV, from: 1, to: 3 },
      { service: 'web', environment: ENV, from: 3, to: 1 },
    ]);
    await expect(sup.scale(ENV, 'web', 5, options())).rejects.toThrow(/from 0 to 4/);
    await sup.scale(ENV, 'web', 0, options());
    expect(isAlive(first)).toBe(false);
  });

  it('aborting a start kills what it spawned', async () => {
    const sup = await make([demoService('web', { healthUrl: 'http://127.0.0.1:{port}/never-healthy' })]);
    const run = options();
    const starting = sup.start(ENV, 'web', run);
    const pid = await waitFor(() => pidsOf('web')[0], 5000, 'spawn');
    setTimeout(() => {
      run.controller.abort(new Error('timeout by test'));
    }, 300);
    await expect(starting).rejects.toThrow('timeout by test');
    expect(isAlive(pid)).toBe(false);
    expect(sup.status(ENV)[0].instances[0]).toMatchObject({ status: 'stopped', pid: null });
  });

  it('on bootstrap kills a leftover recorded in children.json, then starts the configured services', async () => {
    const port = 21090;
    const leftover = spawn(process.execPath, [DEMO('web-server.mjs')], {
      env: { PATH: process.env.PATH, PORT: String(port), VIGIL_SERVICE: 'web', VIGIL_ENVIRONMENT: ENV },
      detached: true,
      stdio: 'ignore',
    });
    const leftoverPid = leftover.pid!;
    seenPids.add(leftoverPid);
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok, 10_000, 'leftover up');
      mkdirSync(join(h.dir, 'supervisor'), { recursive: true });
      writeFileSync(
        join(h.dir, 'supervisor', 'children.json'),
        JSON.stringify([
          {
            pid: leftoverPid,
            command: process.execPath,
            args: [DEMO('web-server.mjs')],
            environment: ENV,
            service: 'web',
            instance: 0,
            startedAt: new Date().toISOString(),
          },
          // A pid that is alive but runs something else (this test runner) is left alone.
          {
            pid: process.pid,
            command: process.execPath,
            args: ['x'],
            environment: ENV,
            service: 'web',
            instance: 1,
            startedAt: new Date().toISOString(),
          },
        ]),
      );
      const sup = await make([demoService('web', { ports: { from: port, to: port + 3 } })], true);
      expect(isAlive(leftoverPid)).toBe(false);
      const [pid] = pidsOf('web');
      expect(pid).not.toBe(leftoverPid);
      expect((await health(port)).pid).toBe(pid);
      expect(sup.status(ENV)[0].instances[0].status).toBe('running');
      const recorded = JSON.parse(readFileSync(join(h.dir, 'supervisor', 'children.json'), 'utf8')) as ChildRecord[];
      expect(recorded.map((r) => r.pid)).toEqual([pid]);
    } finally {
      try {
        process.kill(-leftoverPid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  });

  it('VIGIL_SUPERVISOR=off starts nothing at bootstrap', async () => {
    process.env.VIGIL_SUPERVISOR = 'off';
    try {
      const sup = await make([demoService('web')], true);
      expect(pidsOf('web')).toEqual([]);
      expect(h.registry.collectors).toHaveLength(1);
      expect(() => sup.logs(ENV, 'nope', 10)).toThrow(/no service "nope"/);
      expect(sup.has(ENV, 'web')).toBe(true);
      expect(sup.has(ENV, 'nope')).toBe(false);
      expect(sup.config(ENV, 'web')?.maxInstances).toBe(4);
    } finally {
      delete process.env.VIGIL_SUPERVISOR;
    }
  });
});
