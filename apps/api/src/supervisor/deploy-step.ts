import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { baseEnv, resolveCommand } from './child-env';
import type { ChildrenFile } from './children-file';
import { label, type ManagedService } from './managed-service';
import { runStep, type StepLine } from './run-step';
import type { ServiceVersions } from './service-versions';
import type { RunOptions } from './supervisor.types';

/** A line `PROGRESS <percent> [step text]` on the step's stdout reports progress instead of output. */
const PROGRESS_LINE = /^PROGRESS\s+(-?\d+(?:\.\d+)?)(?:\s+(.*))?$/;

/**
 * Runs a service's configured deploy step: a one-shot program that puts a new
 * release in place and writes its version to VIGIL_VERSION_FILE. The rolling
 * restart that follows is the deploy command's business, not this step's.
 */
export class DeployStep {
  constructor(
    private readonly children: ChildrenFile,
    private readonly versions: ServiceVersions,
    private readonly shuttingDown: () => boolean,
  ) {}

  async run(svc: ManagedService, version: string, options: RunOptions): Promise<void> {
    const deploy = svc.config.deploy;
    if (!deploy) throw new Error(`${label(svc)} has no deploy step configured`);
    if (typeof version !== 'string' || version.length === 0 || version.length > 200 || /[\0\r\n]/.test(version)) {
      throw new Error('version must be 1 to 200 characters on one line');
    }
    if (svc.deploying) throw new Error(`a deploy step of ${label(svc)} is already running`);
    if (this.shuttingDown()) throw new Error('Vigil is shutting down');
    const environment = svc.environment;
    const service = svc.config.name;
    svc.deploying = true;
    try {
      const versionFile = this.versions.file(environment, service);
      mkdirSync(dirname(versionFile), { recursive: true });
      const command = resolveCommand(deploy.command);
      const env: NodeJS.ProcessEnv = {
        ...baseEnv(svc.config),
        VIGIL_DEPLOY_VERSION: version,
        VIGIL_ENVIRONMENT: environment,
        VIGIL_SERVICE: service,
        VIGIL_VERSION_FILE: versionFile,
      };
      await runStep({
        command,
        args: deploy.args,
        cwd: resolve(svc.config.cwd),
        env,
        timeoutMs: deploy.timeoutSeconds * 1000,
        graceMs: svc.config.stopGraceSeconds * 1000,
        signal: options.signal,
        describe: `deploy step of ${label(svc)}`,
        onSpawn: (pid) => {
          this.children.add({ pid, command, args: deploy.args, environment, service, instance: -1, startedAt: new Date().toISOString() });
        },
        onExit: (pid) => {
          this.children.remove(pid);
        },
        onLines: (lines) => {
          report(lines, options);
        },
      });
    } finally {
      svc.deploying = false;
    }
  }
}

/** Passes the step's lines on in order: PROGRESS lines as progress, the rest as output batches between them. */
function report(lines: StepLine[], options: RunOptions): void {
  let batch: StepLine[] = [];
  for (const line of lines) {
    const progress = line.stream === 'stdout' ? PROGRESS_LINE.exec(line.text) : null;
    if (!progress) {
      batch.push(line);
      continue;
    }
    if (batch.length > 0) options.output(batch);
    batch = [];
    // The step text is optional: its group may not have matched.
    options.progress(Math.min(100, Math.max(0, Number(progress[1]))), (progress.at(2) ?? '').trim());
  }
  if (batch.length > 0) options.output(batch);
}
