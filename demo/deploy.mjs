/**
 * Demo deploy step: prints staged progress ("PROGRESS <percent> <step>" lines,
 * which Vigil turns into command.progress) and switches the version the service
 * reports on its next start by writing VIGIL_VERSION_FILE.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const version = process.env.VIGIL_DEPLOY_VERSION;
const environment = process.env.VIGIL_ENVIRONMENT;
const service = process.env.VIGIL_SERVICE ?? 'service';
const versionFile = process.env.VIGIL_VERSION_FILE;
const stepMs = Number(process.env.DEMO_DEPLOY_STEP_MS ?? 300);
if (!version || !environment || !versionFile) {
  console.error('VIGIL_DEPLOY_VERSION, VIGIL_ENVIRONMENT and VIGIL_VERSION_FILE are required');
  process.exit(2);
}

const steps = ['fetching build', 'verifying checksum', 'running migrations', 'switching release'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
console.log(`deploying ${service} ${version} to ${environment}`);
for (let i = 0; i < steps.length; i++) {
  console.log(`PROGRESS ${Math.round((i / steps.length) * 100)} ${steps[i]}`);
  console.log(`  ${steps[i]}: ${service}-${version}.tar.gz`);
  await sleep(stepMs);
}
mkdirSync(dirname(versionFile), { recursive: true });
writeFileSync(versionFile, `${version}\n`);
console.log(`PROGRESS 100 release ${version} in place`);
console.log('deploy step done');
