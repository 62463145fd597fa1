import { instanceOf, label, metaOf, range, type Instance, type ManagedService } from './managed-service';
import { raceAbort } from './op-lock';
import type { ProcessLifecycle } from './process-lifecycle';
import type { ServiceJournal } from './service-journal';
import type { RunOptions } from './supervisor.types';

/**
 * What commands do to a service — start, stop, restart, scale — one at a time
 * under its lock. Each waits until the instances are healthy (or gone), reports
 * on options.output/progress, and on abort stops what it spawned.
 */
export class ServiceOperations {
  constructor(
    private readonly lifecycle: ProcessLifecycle,
    private readonly journal: ServiceJournal,
  ) {}

  async start(svc: ManagedService, options: RunOptions): Promise<void> {
    await svc.lock.run(async () => {
      svc.stopped = false;
      if (svc.desired < 1) svc.desired = 1;
      await this.bringUp(svc, range(svc.desired), options);
    }, options.signal);
  }

  async stop(svc: ManagedService, options: RunOptions): Promise<void> {
    await svc.lock.run(async () => {
      svc.stopped = true;
      await this.stopInstances(svc, [...svc.instances.values()], options);
    }, options.signal);
  }

  /** Instance by instance — stop, spawn, wait healthy — so the service never goes fully down. */
  async restart(svc: ManagedService, options: RunOptions): Promise<void> {
    await svc.lock.run(async () => {
      svc.stopped = false;
      if (svc.desired < 1) svc.desired = 1;
      const meta = metaOf(svc, options);
      const total = svc.desired;
      for (const index of range(total)) {
        options.signal.throwIfAborted();
        const inst = instanceOf(svc, index);
        options.progress(Math.round((index / total) * 100), `restarting instance ${index}`);
        const oldPid = inst.pid;
        await this.lifecycle.stop(svc, inst, meta);
        const healthy = this.lifecycle.spawnFresh(svc, inst, meta);
        try {
          await raceAbort(healthy, options.signal);
        } catch (error) {
          if (options.signal.aborted) await this.lifecycle.stop(svc, inst, meta);
          throw error;
        }
        options.output([{ stream: 'stdout', text: `instance ${index}: pid ${oldPid ?? '-'} → ${inst.pid}, healthy` }]);
      }
      options.progress(100, 'restarted');
    }, options.signal);
  }

  async scale(svc: ManagedService, instances: number, options: RunOptions): Promise<{ from: number; to: number }> {
    const max = svc.config.maxInstances;
    if (!Number.isInteger(instances) || instances < 0 || instances > max) {
      throw new RangeError(`instances must be an integer from 0 to ${max}, got ${instances}`);
    }
    return svc.lock.run(async () => {
      const from = svc.desired;
      const to = instances;
      svc.desired = to;
      if (to > 0) svc.stopped = false;
      this.journal.record(svc, 'service.scaled', { from, to }, metaOf(svc, options));
      const surplus = [...svc.instances.values()].filter((inst) => inst.index >= to);
      await this.stopInstances(svc, surplus, options);
      if (to > 0) await this.bringUp(svc, range(to), options);
      options.output([{ stream: 'stdout', text: `${label(svc)} scaled from ${from} to ${to} instance(s)` }]);
      return { from, to };
    }, options.signal);
  }

  /** Spawns the given instances that have no live process and waits until all are healthy. */
  private async bringUp(svc: ManagedService, indexes: number[], options: RunOptions): Promise<void> {
    const meta = metaOf(svc, options);
    const spawned: Instance[] = [];
    const waits: Promise<void>[] = [];
    for (const index of indexes) {
      const inst = instanceOf(svc, index);
      if (inst.child && inst.status !== 'stopping' && inst.healthy) {
        waits.push(inst.healthy);
        continue;
      }
      if (inst.child) await this.lifecycle.stop(svc, inst, meta);
      waits.push(this.lifecycle.spawnFresh(svc, inst, meta));
      spawned.push(inst);
    }
    try {
      await raceAbort(Promise.all(waits), options.signal);
    } catch (error) {
      if (options.signal.aborted) await Promise.all(spawned.map((inst) => this.lifecycle.stop(svc, inst, meta)));
      throw error;
    }
    for (const inst of spawned) {
      options.output([
        { stream: 'stdout', text: `instance ${inst.index} started: pid ${inst.pid}${inst.port !== null ? `, port ${inst.port}` : ''}` },
      ]);
    }
  }

  private async stopInstances(svc: ManagedService, instances: Instance[], options: RunOptions): Promise<void> {
    const meta = metaOf(svc, options);
    await Promise.all(
      instances.map(async (inst) => {
        const pid = inst.pid;
        if (await this.lifecycle.stop(svc, inst, meta)) {
          this.journal.record(svc, 'service.stopped', { instance: inst.index, pid }, meta);
          options.output([{ stream: 'stdout', text: `instance ${inst.index} stopped (pid ${pid})` }]);
        }
      }),
    );
  }
}
