#!/usr/bin/env node
/**
 * Runs jest with ES module support, writes its JSON report, and prints the one
 * closing line CI reads: "N passed, N failed". Suites that failed to load count
 * as failures, so a broken import can never look green.
 *
 * `node test/run-jest.mjs [jest args]` is one jest process, suites one at a time.
 * npm test runs lanes (`runJestLanes`): one jest process per lane, side by side, each
 * with its own report, the counts summed into one closing line.
 */
import { mkdirSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStep } from './run-step.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(root, 'test-results');
const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');

/**
 * One jest process; resolves to its counts. `label` prefixes its output lines (for
 * lanes) and names its report, test-results/jest-<label>.json (else jest.json).
 */
export async function runJest(jestArgs, { label } = {}) {
  mkdirSync(resultsDir, { recursive: true });
  const outputFile = join(resultsDir, label ? `jest-${label}.json` : 'jest.json');
  rmSync(outputFile, { force: true });
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
    ...jestArgs,
  ];
  const run = await runStep(process.execPath, args, { label, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const prefix = label ? `[${label}] ` : '';
  if (!existsSync(outputFile)) {
    console.error(`${prefix}jest wrote no report (exit ${run.status})`);
    return { passed: 0, failed: 1, ok: false, seconds: run.seconds, report: undefined };
  }
  const report = JSON.parse(readFileSync(outputFile, 'utf8'));
  for (const suite of report.testResults) {
    if (suite.status === 'failed' && suite.assertionResults.length === 0) {
      console.error(`${prefix}suite failed to load: ${suite.name}\n${suite.message}`);
    }
  }
  const passed = report.numPassedTests;
  const failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
  return { passed, failed, ok: failed === 0 && run.status === 0, seconds: run.seconds, report };
}

/**
 * Runs each lane (`{label, projects}`) as its own jest process, all at once; resolves
 * to the summed counts. A merged report goes to test-results/jest.json.
 */
export async function runJestLanes(lanes) {
  const results = await Promise.all(lanes.map((lane) => runJest(['--selectProjects', ...lane.projects], { label: lane.label })));
  const reports = results.map((result) => result.report).filter(Boolean);
  writeFileSync(
    join(resultsDir, 'jest.json'),
    JSON.stringify({
      numPassedTests: reports.reduce((sum, report) => sum + report.numPassedTests, 0),
      numFailedTests: reports.reduce((sum, report) => sum + report.numFailedTests, 0),
      numRuntimeErrorTestSuites: reports.reduce((sum, report) => sum + report.numRuntimeErrorTestSuites, 0),
      lanes: lanes.map((lane, i) => ({ ...lane, seconds: Math.round(results[i].seconds) })),
      testResults: reports.flatMap((report) => report.testResults),
    }),
  );
  for (const [i, lane] of lanes.entries()) {
    const { passed, failed, seconds } = results[i];
    console.error(`lane ${lane.label} (${lane.projects.join(', ')}): ${passed} passed, ${failed} failed in ${Math.round(seconds)} s`);
  }
  return {
    passed: results.reduce((sum, result) => sum + result.passed, 0),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    ok: results.every((result) => result.ok),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runJest(process.argv.slice(2));
  console.log(`${result.passed} passed, ${result.failed} failed`);
  process.exit(result.ok ? 0 : 1);
}
