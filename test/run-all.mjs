#!/usr/bin/env node
/**
 * `npm test`: builds what the integration and browser tests run against (the
 * compiled API and the built web app), type-checks every test, then runs every
 * jest suite.
 * VIGIL_SKIP_BUILD=1 skips the build when dist/ is already fresh.
 */
import { spawnSync } from 'node:child_process';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  return result.status ?? 1;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (process.env.VIGIL_SKIP_BUILD !== '1' && run(npm, ['run', 'build']) !== 0) {
  console.error('build failed: no tests were run');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// ts-jest transpiles test files one by one (isolatedModules): type errors in
// tests and specs are caught here instead.
if (run(npm, ['run', 'typecheck']) !== 0) {
  console.error('type check failed: no tests were run');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.exit(run(process.execPath, [new URL('./run-jest.mjs', import.meta.url).pathname, ...process.argv.slice(2)]));
