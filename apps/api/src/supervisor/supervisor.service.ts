import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import { Cluster } from '../cluster/cluster';
import { SingleNodeCluster } from '../cluster/single-node-cluster';
import { whileLeader } from '../cluster/while-leader';
import { SETTINGS, VIGIL_CONFIG } from '../config/config.module';
import type { Settings } from '../config/settings';
import type { ServiceConfig, VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { SamplerService } from '../metrics/sampler.service';
import { ChildrenFile } from './children-file';
import { DeployStep } from './deploy-step';
import { errorMessage } from './error-message';
import { cleanupLeftovers } from './leftovers';
import { label, liveInstances, managedService, serviceKey, type ManagedService } from './managed-service';
import { ProcessLifecycle } from './process-lifecycle';
import { ServiceCollector } from './service.collector';
import { ServiceJournal } from './service-journal';
import { ServiceOperations } from './service-operations';
import { ServiceVersions } from './service-versions';
import { UnknownServiceError, type CollectorRegistry, type LogLine, type RunOptions, type ServiceStatus } from './supervisor.types';

/**
 * Runs the configured services as real child processes: argument arrays (never a
 * shell), each instance in its own process group with a minimal environment,
 * restarted by policy with exponential backoff, logs kept in a ring buffer per
 * instance, every live child recorded in `<dataDir>/supervisor/children.json`.
 *
 * This is the one entry point (commands' executors, Nest's lifecycle hooks); the
 * work is done by the pieces it composes: ProcessLifecycle (spawn, health, exit,
 * stop) with its RestartPolicy, ServiceOperations (start/stop/restart/scale under
 * the service's lock), DeployStep, ServiceLogs and ServiceJournal (service.* events).
 *
 * `VIGIL_SUPERVISOR=off` keeps bootstrap from starting services (leftover cleanup
 * and metrics registration still happen; commands still work).
 *
 * In a cluster a node supervises the services whose `host` is its name, and, while
 * it holds the leader lease, those without a `host` (started on gaining the lease,
 * stopped on losing it); the other nodes' services are known here only by config.
 */
@Injectable()
export class Supervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Supervisor');
  private readonly services = new Map<string, ManagedService>();
  private readonly children: ChildrenFile;
  private readonly journal: ServiceJournal;
  private readonly versions: ServiceVersions;
  private readonly lifecycle: ProcessLifecycle;
  private readonly operations: ServiceOperations;
  private readonly deployStep: DeployStep;
  private readonly collectors: ServiceCollector[] = [];
  private startup: Promise<void> = Promise.resolve();
  private leadership?: Subscription;

  constructor(
    @Inject(EventStore) store: Pick<EventStore, 'append'>,
    @Inject(SETTINGS) settings: Pick<Settings, 'dataDir'>,
    @Inject(VIGIL_CONFIG) private readonly vigilConfig: VigilConfig,
    @Inject(SamplerService) private readonly sampler: CollectorRegistry,
    @Inject(Cluster) private readonly cluster: Cluster = new SingleNodeCluster(),
  ) {
    this.children = new ChildrenFile(join(settings.dataDir, 'supervisor', 'children.json'));
    this.journal = new ServiceJournal(store);
    this.versions = new ServiceVersions(settings.dataDir);
    this.lifecycle = new ProcessLifecycle(this.children, this.journal, this.versions);
    this.operations = new ServiceOperations(this.lifecycle, this.journal);
    this.deployStep = new DeployStep(this.children, this.versions, () => this.lifecycle.shuttingDown);
    for (const environment of vigilConfig.environments) {
      for (const config of environment.services) {
        this.services.set(serviceKey(environment.name, config.name), managedService(environment.name, config));
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  async onApplicationBootstrap(): Promise<void> {
    await cleanupLeftovers(this.children, this.services, this.journal);
    const mine = [...this.services.values()].filter((svc) => this.hostedHere(svc));
    const leaders = [...this.services.values()].filter((svc) => this.cluster.clustered && svc.config.host === undefined);
    this.registerCollectors(mine);
    const supervising = process.env.VIGIL_SUPERVISOR !== 'off';
    if (!supervising) this.logger.log('VIGIL_SUPERVISOR=off: configured services are not started');
    if (leaders.length > 0) {
      // Services without a host belong to the leader: supervised (and measured) only while this node holds the lease.
      this.leadership = whileLeader(
        this.cluster,
        'leader-owned services',
        {
          start: () => {
            this.registerCollectors(leaders);
            if (supervising) this.startup = Promise.all([this.startup, this.startAll(leaders)]).then(() => undefined);
          },
          stop: () => this.stopAll(leaders),
        },
        this.logger,
      );
    }
    if (!supervising) return;
    // Not awaited: the API answers while services come up.
    this.startup = Promise.all([this.startup, this.startAll(mine)]).then(() => undefined);
  }

  /** Services this node supervises whoever leads: all on one node, those naming this node in a cluster. */
  private hostedHere(svc: ManagedService): boolean {
    return !this.cluster.clustered || svc.config.host === this.cluster.nodeName;
  }

  private startAll(services: ManagedService[]): Promise<void> {
    const options = internalOptions();
    this.lifecycle.markBoot(options.correlationId);
    const starts = services
      .filter((svc) => svc.config.instances > 0)
      .map((svc) =>
        this.operations.start(svc, options).catch((error: unknown) => {
          this.logger.error(`${label(svc)} did not start: ${errorMessage(error)}`);
        }),
      );
    return Promise.all(starts).then(() => undefined);
  }

  /** Lost the lease: the leader's services stop here before another node starts them. */
  private async stopAll(services: ManagedService[]): Promise<void> {
    for (const svc of services) {
      const collector = this.collectors.find((c) => c.source === svc.config.name && c.environment === svc.environment);
      if (collector) this.sampler.remove(collector.source, collector.environment);
    }
    if (process.env.VIGIL_SUPERVISOR === 'off') return;
    const options = internalOptions();
    await Promise.all(
      services.map((svc) =>
        this.operations.stop(svc, options).catch((error: unknown) => {
          this.logger.error(`${label(svc)} did not stop: ${errorMessage(error)}`);
        }),
      ),
    );
  }

  /** Settles when the services started at bootstrap are up (or failed to be). */
  whenStarted(): Promise<void> {
    return this.startup;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.leadership?.unsubscribe();
    for (const collector of this.collectors) this.sampler.remove(collector.source, collector.environment);
    await this.lifecycle.shutdown(this.services.values());
    await this.journal.settled();
  }

  /** Waits for the event appends made so far (tests; shutdown). */
  settled(): Promise<void> {
    return this.journal.settled();
  }

  // ---------------------------------------------------------------- queries

  has(environment: string, service: string): boolean {
    return this.services.has(serviceKey(environment, service));
  }

  config(environment: string, service: string): ServiceConfig | undefined {
    return this.services.get(serviceKey(environment, service))?.config;
  }

  status(environment?: string): ServiceStatus[] {
    return [...this.services.values()]
      .filter((svc) => environment === undefined || svc.environment === environment)
      .map((svc) => {
        const instances = [...svc.instances.values()]
          .filter((inst) => inst.index < svc.desired || inst.child !== null || inst.status === 'backoff')
          .sort((a, b) => a.index - b.index);
        const runningVersion = instances.find((inst) => inst.child !== null)?.version;
        return {
          environment: svc.environment,
          service: svc.config.name,
          version: runningVersion ?? this.currentVersion(svc.environment, svc.config.name),
          desiredInstances: svc.desired,
          instances: instances.map((inst) => ({
            index: inst.index,
            pid: inst.pid,
            port: inst.port,
            status: inst.status,
            startedAt: inst.startedAt,
            restarts: inst.restarts,
            ...(inst.lastExit ? { lastExit: { ...inst.lastExit } } : {}),
          })),
        };
      });
  }

  currentVersion(environment: string, service: string): string {
    return this.versions.current(environment, service);
  }

  logs(environment: string, service: string, lines: number): LogLine[] {
    return this.require(environment, service).logs.last(lines);
  }

  followLogs(environment: string, service: string, onLine: (line: LogLine) => void): () => void {
    return this.require(environment, service).logs.follow(onLine);
  }

  // ---------------------------------------------------------------- operations
  // Async, so that an unknown service rejects like every other failure instead of throwing.

  async start(environment: string, service: string, options: RunOptions): Promise<void> {
    await this.operations.start(this.require(environment, service), options);
  }

  async stop(environment: string, service: string, options: RunOptions): Promise<void> {
    await this.operations.stop(this.require(environment, service), options);
  }

  async restart(environment: string, service: string, options: RunOptions): Promise<void> {
    await this.operations.restart(this.require(environment, service), options);
  }

  async scale(environment: string, service: string, instances: number, options: RunOptions): Promise<{ from: number; to: number }> {
    return await this.operations.scale(this.require(environment, service), instances, options);
  }

  async runDeployStep(environment: string, service: string, version: string, options: RunOptions): Promise<void> {
    await this.deployStep.run(this.require(environment, service), version, options);
  }

  // ---------------------------------------------------------------- internals

  private require(environment: string, service: string): ManagedService {
    const svc = this.services.get(serviceKey(environment, service));
    if (!svc) throw new UnknownServiceError(environment, service);
    return svc;
  }

  private registerCollectors(services: Iterable<ManagedService>): void {
    const timeoutCapMs = this.vigilConfig.metrics.collectorTimeoutSeconds * 1000;
    for (const svc of services) {
      const intervalMs = svc.config.metricsIntervalSeconds * 1000;
      const collector = new ServiceCollector({
        source: svc.config.name,
        environment: svc.environment,
        intervalMs,
        timeoutMs: Math.min(timeoutCapMs, intervalMs),
        metricsUrl: svc.config.metricsUrl,
        instances: () => liveInstances(svc),
      });
      if (!this.collectors.some((c) => c.source === collector.source && c.environment === collector.environment))
        this.collectors.push(collector);
      this.sampler.add(collector);
    }
  }
}

/** Options for what the supervisor does on its own (the boot start): nobody to report to, never cancelled. */
function internalOptions(): RunOptions {
  return {
    signal: new AbortController().signal,
    output: () => undefined,
    progress: () => undefined,
    correlationId: randomUUID(),
  };
}
