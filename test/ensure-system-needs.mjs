#!/usr/bin/env node
/**
 * Makes sure the Debian packages the tests need (test/system-needs.json) are there
 * before any test runs. Missing ones are installed when this runs as root with
 * apt-get: one `apt-get update`, one `apt-get install` of the missing set, no daemon
 * started (a policy-rc.d that refuses, for the length of the install). Otherwise it
 * stops with one line naming the command to run.
 *
 * `node test/ensure-system-needs.mjs` runs it alone; npm test (test/run-all.mjs) checks
 * first and installs while it lints and builds. VIGIL_SKIP_SYSTEM_CHECK=1 skips it; VIGIL_SYSTEM_NEEDS_FILE reads another
 * list (the runner's own tests use that).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_LIST = fileURLToPath(new URL('./system-needs.json', import.meta.url));
/** invoke-rc.d and deb-systemd-invoke ask it before starting a service; exit 101 means "do not". */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** The list of needs: `[{package, check, why, env?}]`, checked for shape. */
export function readNeeds(file = process.env.VIGIL_SYSTEM_NEEDS_FILE || DEFAULT_LIST) {
  const { needs } = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(needs)) throw new Error(`${file}: "needs" must be a list`);
  for (const need of needs) {
    const ok =
      typeof need.package === 'string' &&
      /^[a-z0-9][a-z0-9+.-]+$/.test(need.package) &&
      typeof need.check === 'string' &&
      isAbsolute(need.check) &&
      typeof need.why === 'string' &&
      (need.env === undefined || typeof need.env === 'string');
    if (!ok)
      throw new Error(`${file}: each need is {package (a Debian name), check (an absolute path), why, env?}: ${JSON.stringify(need)}`);
  }
  return needs;
}

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The paths `pattern` names; a `*` matches within one path segment. */
function expand(pattern) {
  let paths = ['/'];
  for (const segment of pattern.split('/').filter(Boolean)) {
    if (!segment.includes('*')) {
      paths = paths.map((path) => join(path, segment));
      continue;
    }
    const matcher = new RegExp(`^${segment.split('*').map(escapeRegExp).join('[^/]*')}$`);
    paths = paths.flatMap((path) => {
      try {
        return readdirSync(path)
          .filter((name) => matcher.test(name))
          .map((name) => join(path, name));
      } catch {
        return [];
      }
    });
  }
  return paths;
}

const escapeRegExp = (text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Whether a need is met: its `env` variable names an executable, or else its `check` matches one. */
export function isPresent(need, env = process.env) {
  const override = need.env ? env[need.env] : undefined;
  return override ? isExecutableFile(override) : expand(need.check).some(isExecutableFile);
}

function onPath(command, env) {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutableFile(join(dir, command)));
}

const describeNeeds = (needs) => needs.map((need) => `${need.package} (${need.why})`).join(', ');
const packagesOf = (needs) => [...new Set(needs.map((need) => need.package))];

/**
 * What to do about the needs that are missing: nothing, install them (as root with
 * apt-get), or stop with the one line that says what to install.
 */
export function plan(missing, { isRoot, hasAptGet }) {
  if (missing.length === 0) return { action: 'none' };
  const packages = packagesOf(missing);
  if (isRoot && hasAptGet) return { action: 'install', packages, line: `installing ${describeNeeds(missing)} with apt-get` };
  const command = `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
  return { action: 'stop', packages, line: `npm test needs Debian packages: ${describeNeeds(missing)} — run: ${command}` };
}

/** Runs apt-get quietly; resolves to its exit code and the tail of what it printed. */
function aptGet(args, env) {
  return new Promise((resolve) => {
    const child = spawn('apt-get', args, { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => resolve({ code: 127, output: error.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? 128, output: signal ? `${output}\n(killed by ${signal})` : output }));
  });
}

/** Keeps package scripts from starting daemons (nginx, exporters, PostgreSQL) during `run`. */
async function withoutDaemonStarts(run) {
  if (existsSync(POLICY_RC_D)) return run();
  writeFileSync(
    POLICY_RC_D,
    '#!/bin/sh\n# Written by Vigil test/ensure-system-needs.mjs during apt-get install: start no daemons.\nexit 101\n',
    {
      mode: 0o755,
    },
  );
  // Ctrl-C reaches apt-get too: let it end, remove the file, then stop as asked.
  let stoppedBy;
  const remember = (signal) => {
    stoppedBy = signal;
  };
  process.on('SIGINT', remember);
  process.on('SIGTERM', remember);
  try {
    return await run();
  } finally {
    rmSync(POLICY_RC_D, { force: true });
    process.off('SIGINT', remember);
    process.off('SIGTERM', remember);
    if (stoppedBy) process.kill(process.pid, stoppedBy);
  }
}

/**
 * Checks the needs (synchronously, before anything else runs): `{action: 'none'}`,
 * `{action: 'stop', line}` or `{action: 'install', packages, line}`.
 */
export function checkSystemNeeds(env = process.env) {
  if (env.VIGIL_SKIP_SYSTEM_CHECK === '1') return { action: 'none' };
  const missing = readNeeds(env.VIGIL_SYSTEM_NEEDS_FILE || DEFAULT_LIST).filter((need) => !isPresent(need, env));
  return plan(missing, { isRoot: process.getuid?.() === 0, hasAptGet: onPath('apt-get', env) });
}

/**
 * Carries out an `install` plan: prints its one line, runs apt-get update and install
 * once each, then checks again. Resolves to `{ok, problem?}`.
 */
export async function installSystemNeeds(next, env = process.env) {
  console.log(next.line);
  const installed = await withoutDaemonStarts(async () => {
    const update = await aptGet(['update', '-qq'], env);
    if (update.code !== 0) return { ok: false, problem: `apt-get update failed (exit ${update.code}):\n${update.output.trim()}` };
    const result = await aptGet(['install', '-y', '-qq', '--no-install-recommends', ...next.packages], env);
    if (result.code !== 0) {
      return { ok: false, problem: `apt-get install ${next.packages.join(' ')} failed (exit ${result.code}):\n${result.output.trim()}` };
    }
    return { ok: true };
  });
  if (!installed.ok) return installed;
  const still = readNeeds(env.VIGIL_SYSTEM_NEEDS_FILE || DEFAULT_LIST).filter((need) => !isPresent(need, env));
  if (still.length > 0) {
    return {
      ok: false,
      problem: `after apt-get install, still missing: ${still.map((need) => `${need.check} (${need.package})`).join(', ')}`,
    };
  }
  return { ok: true };
}

/** Checks, and installs where it may; resolves to `{ok, problem?}` (a bad list is a problem too). */
export async function ensureSystemNeeds(env = process.env) {
  let next;
  try {
    next = checkSystemNeeds(env);
  } catch (error) {
    return { ok: false, problem: error.message };
  }
  if (next.action === 'stop') return { ok: false, problem: next.line };
  return next.action === 'install' ? installSystemNeeds(next, env) : { ok: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await ensureSystemNeeds();
  if (!result.ok) {
    console.error(result.problem);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
