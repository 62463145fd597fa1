import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * test/ensure-system-needs.mjs as npm test runs it, against lists of needs in a temp
 * dir. The installs go to a stand-in `apt-get` first on PATH (a shell script that logs
 * its arguments and creates the checked files): the real one would change this machine.
 */
const TEST_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const SCRIPT = join(TEST_DIR, 'ensure-system-needs.mjs');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

const FAKE_APT_GET = `#!/bin/sh
echo "$DEBIAN_FRONTEND $*" >> "$FAKE_APT_LOG"
[ -x /usr/sbin/policy-rc.d ] && { /usr/sbin/policy-rc.d; echo "policy-rc.d exit $?" >> "$FAKE_APT_LOG"; }
if [ "$1" = install ]; then
  [ -n "$FAKE_APT_FAIL" ] && { echo "E: $FAKE_APT_FAIL" >&2; exit 100; }
  for file in $FAKE_APT_CREATES; do mkdir -p "$(dirname "$file")"; printf '#!/bin/sh\\n' > "$file"; chmod +x "$file"; done
fi
exit 0
`;

interface Need {
  package: string;
  check: string;
  why: string;
  env?: string;
}

let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'vigil-needs-'));
  // Readable by the unprivileged user the non-root case runs as.
  chmodSync(work, 0o755);
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'apt-get'), FAKE_APT_GET, { mode: 0o755 });
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** An executable at `path` (inside the temp dir), as a package would install it. */
function executable(path: string): string {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n', { mode: 0o755 });
  return path;
}

function ensure(needs: Need[], env: Record<string, string> = {}, uid?: number): SpawnSyncReturns<string> {
  const list = join(work, 'needs.json');
  writeFileSync(list, JSON.stringify({ needs }), { mode: 0o644 });
  return spawnSync(process.execPath, [SCRIPT], {
    encoding: 'utf8',
    uid,
    gid: uid,
    env: {
      PATH: `${join(work, 'bin')}:/usr/bin:/bin`,
      VIGIL_SYSTEM_NEEDS_FILE: list,
      FAKE_APT_LOG: join(work, 'apt.log'),
      ...env,
    },
  });
}

const aptCalls = (): string[] => (existsSync(join(work, 'apt.log')) ? readFileSync(join(work, 'apt.log'), 'utf8').trim().split('\n') : []);
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

describe('test/ensure-system-needs.mjs', () => {
  it("the repository's list names, for every package wave 2 needs, a check and the suites that need it", () => {
    const { needs } = JSON.parse(readFileSync(join(TEST_DIR, 'system-needs.json'), 'utf8')) as { needs: Need[] };
    expect(needs.map((need) => need.package)).toEqual([
      'chromium',
      'postgresql',
      'prometheus',
      'prometheus-alertmanager',
      'prometheus-node-exporter',
      'nginx',
      'iproute2',
    ]);
    for (const need of needs) {
      expect(need.check).toMatch(/^\/usr\/(s?bin|lib)\//);
      expect(need.why.length).toBeGreaterThan(10);
    }
  });

  it('does nothing and prints nothing when every need is there (a `*` matches a version directory)', () => {
    const tool = executable(join(work, 'lib', '15', 'bin', 'initdb'));
    const result = ensure([
      { package: 'nodejs', check: process.execPath, why: 'the runner' },
      { package: 'postgresql', check: join(work, 'lib', '*', 'bin', 'initdb'), why: 'cluster tests' },
    ]);
    expect(existsSync(tool)).toBe(true);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(aptCalls()).toEqual([]);
  });

  it('takes the path in the named variable instead of the check (CHROMIUM_PATH)', () => {
    const need = { package: 'chromium', check: join(work, 'absent', 'chromium'), why: 'browser tests', env: 'CHROMIUM_PATH' };
    expect(ensure([need], { CHROMIUM_PATH: process.execPath }).status).toBe(0);
    expect(aptCalls()).toEqual([]);
  });

  it('is skipped with VIGIL_SKIP_SYSTEM_CHECK=1', () => {
    const result = ensure([{ package: 'chromium', check: join(work, 'absent'), why: 'browser tests' }], { VIGIL_SKIP_SYSTEM_CHECK: '1' });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(aptCalls()).toEqual([]);
  });

  it('without root, stops with one line naming the missing packages and the command to run', () => {
    const needs = [
      { package: 'nodejs', check: process.execPath, why: 'the runner' },
      { package: 'chromium', check: join(work, 'absent', 'chromium'), why: 'browser tests' },
      { package: 'nginx', check: join(work, 'absent', 'nginx'), why: 'the load balancer' },
    ];
    const result = ensure(needs, {}, isRoot ? NOBODY : undefined);
    expect(result.status).toBe(1);
    expect(lines(result.stderr)).toEqual([
      'npm test needs Debian packages: chromium (browser tests), nginx (the load balancer) — ' +
        'run: sudo apt-get update && sudo apt-get install -y chromium nginx',
    ]);
    expect(result.stdout).toBe('0 passed, 1 failed\n');
    expect(aptCalls()).toEqual([]);
  });

  const asRoot = isRoot ? it : it.skip;

  asRoot('as root, installs the missing set with one update and one install, no daemon starting, then checks again', () => {
    const chromium = join(work, 'usr', 'bin', 'chromium');
    const nginx = join(work, 'usr', 'sbin', 'nginx');
    const result = ensure(
      [
        { package: 'nodejs', check: process.execPath, why: 'the runner' },
        { package: 'chromium', check: chromium, why: 'browser tests' },
        { package: 'nginx', check: nginx, why: 'the load balancer' },
      ],
      { FAKE_APT_CREATES: `${chromium} ${nginx}` },
    );
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(lines(result.stdout)).toEqual(['installing chromium (browser tests), nginx (the load balancer) with apt-get']);
    // The policy-rc.d answer is logged while each apt-get ran: 101 = "start nothing".
    expect(aptCalls()).toEqual([
      'noninteractive update -qq',
      'policy-rc.d exit 101',
      'noninteractive install -y -qq --no-install-recommends chromium nginx',
      'policy-rc.d exit 101',
    ]);
  });

  asRoot('as root, fails with what apt-get said when the install fails', () => {
    const result = ensure([{ package: 'chromium', check: join(work, 'absent'), why: 'browser tests' }], {
      FAKE_APT_FAIL: 'Unable to locate package chromium',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apt-get install chromium failed (exit 100):\nE: Unable to locate package chromium');
    expect(result.stdout).toBe('installing chromium (browser tests) with apt-get\n0 passed, 1 failed\n');
  });

  asRoot('as root, fails naming the check that is still missing after the install', () => {
    const result = ensure([{ package: 'chromium', check: join(work, 'absent', 'chromium'), why: 'browser tests' }]);
    expect(result.status).toBe(1);
    expect(lines(result.stderr)).toEqual([`after apt-get install, still missing: ${join(work, 'absent', 'chromium')} (chromium)`]);
  });

  it('refuses a list entry without a Debian package name, an absolute check or a reason', () => {
    const result = ensure([{ package: 'chromium', check: 'chromium', why: 'browser tests' }]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('each need is {package (a Debian name), check (an absolute path), why, env?}');
    expect(result.stdout).toBe('0 passed, 1 failed\n');
  });
});
