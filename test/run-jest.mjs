#!/usr/bin/env node
/**
 * Runs jest with ES module support, writes its JSON report, and prints the one
 * closing line CI reads: "N passed, N failed". Suites that failed to load count
 * as failures, so a broken import can never look green.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outputFile = join(root, 'test-results', 'jest.json');
mkdirSync(join(root, 'test-results'), { recursive: true });
rmSync(outputFile, { force: true });

const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const args = [
  '--experimental-vm-modules',
  jestBin,
  '--json',
  `--outputFile=${outputFile}`,
  '--runInBand',
  // Servers start in a few seconds, but a loaded CI machine can take longer than jest's 5 s default.
  '--testTimeout=30000',
  // A leaked handle must not hang CI: every suite cleans up, this is the backstop.
  '--forceExit',
  ...process.argv.slice(2),
];
const run = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_NO_WARNINGS: '1' },
});

if (!existsSync(outputFile)) {
  console.error(`jest wrote no report (exit ${run.status}, signal ${run.signal})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(outputFile, 'utf8'));
const passed = report.numPassedTests;
const failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
for (const suite of report.testResults) {
  if (suite.status === 'failed' && suite.assertionResults.length === 0) {
    console.error(`suite failed to load: ${suite.name}\n${suite.message}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
