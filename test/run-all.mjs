#!/usr/bin/env node
/**
 * `npm test`, in this order:
 * 1. the Debian packages the tests need (test/system-needs.json): checked first; as root
 *    the missing ones are installed while steps 2 and 3 run, otherwise it stops here
 *    with the command to run;
 * 2. and 3., side by side: lint (`npm run lint`), then the type check of the tests and
 *    specs | the build the integration and browser tests run against (libs/shared, the
 *    API, the web app; the API's type check is its build);
 * 4. jest in two lanes side by side, each one suite at a time: the integration suites |
 *    the browser, web and unit suites. Suites pick their own free ports and temp dirs,
 *    so lanes never share a port, a directory or a server.
 * It ends with one line "N passed, N failed" (a failed step before the tests: 0 passed, 1 failed).
 *
 * Arguments go to one jest process instead of the lanes: `npm test -- --selectProjects unit`.
 * VIGIL_SKIP_SYSTEM_CHECK=1, VIGIL_SKIP_LINT=1, VIGIL_SKIP_BUILD=1 (dist/ is fresh) skip
 * those steps; VIGIL_TEST_LANES=1 runs every suite in one jest process.
 */
import { availableParallelism } from 'node:os';
import { checkSystemNeeds, installSystemNeeds } from './ensure-system-needs.mjs';
import { runJest, runJestLanes } from './run-jest.mjs';
import { runStep } from './run-step.mjs';

const started = performance.now();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;
const skip = (name) => process.env[name] === '1';

function stop(...problems) {
  for (const problem of problems) console.error(problem);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** Runs steps one after another; resolves to the failure line of the first that fails, if any. */
async function inOrder(label, steps) {
  for (const [failure, command, args] of steps) {
    const { status } = await runStep(command, args, { label });
    if (status !== 0) return failure;
  }
  return undefined;
}

// 1. What the system must provide; an install runs alongside the lint and the build.
let needs;
try {
  needs = checkSystemNeeds();
} catch (error) {
  stop(`system needs: ${error.message}`);
}
if (needs.action === 'stop') stop(needs.line);
const installing = needs.action === 'install' ? installSystemNeeds(needs) : Promise.resolve({ ok: true });

// 2. and 3. ts-jest transpiles test files one by one (isolatedModules): type errors in
// tests and specs are caught by the type check instead.
const typeCheck = [
  ['type check failed: no tests were run', process.execPath, [tsc, '-p', 'tsconfig.spec.json', '--noEmit']],
  ['type check failed: no tests were run', process.execPath, [tsc, '-p', 'apps/web/tsconfig.spec.json', '--noEmit']],
];
const checks = [...(skip('VIGIL_SKIP_LINT') ? [] : [['lint failed: no tests were run', npm, ['run', 'lint']]]), ...typeCheck];
const build = skip('VIGIL_SKIP_BUILD')
  ? [['type check failed: no tests were run', process.execPath, [tsc, '-p', 'apps/api/tsconfig.app.json', '--noEmit']]]
  : [
      ['build failed: no tests were run', npm, ['run', 'build:shared']],
      ['build failed: no tests were run', npm, ['run', 'build:api']],
      ['build failed: no tests were run', npm, ['run', 'build:web']],
    ];
const [checksFailure, buildFailure, installed] = await Promise.all([inOrder('check', checks), inOrder('build', build), installing]);
const failures = [checksFailure, buildFailure, installed.ok ? undefined : installed.problem].filter(Boolean);
if (failures.length > 0) stop(...new Set(failures));
const prepared = performance.now();

// 4. The suites.
const lanes =
  process.env.VIGIL_TEST_LANES === '1' || availableParallelism() < 2
    ? undefined
    : [
        { label: 'integration', projects: ['integration'] },
        { label: 'browser+unit', projects: ['e2e', 'web', 'unit'] },
      ];
const args = process.argv.slice(2);
const result = args.length > 0 || !lanes ? await runJest(args) : await runJestLanes(lanes);
const seconds = (to) => Math.round((to - started) / 1000);
console.error(`npm test took ${seconds(performance.now())} s (lint, type check and build ${seconds(prepared)} s)`);
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(result.ok ? 0 : 1);
