import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  COMMAND_TERMINAL_TYPES,
  evolveHosts,
  hostNamed,
  hostOfService,
  serviceKey,
  type CommandAcceptedData,
  type HostView,
  type StoredEvent,
} from '@vigil/shared';
import { Subject, type Subscription } from 'rxjs';
import type { ServiceConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { catchUpThenFollow } from '../projections/catch-up-then-follow';
import { hostTokenMatches } from './host-token';

const HOST_TYPES = ['host.enrolled', 'host.revoked', 'host.online', 'host.offline', 'host.declared'] as const;
const TERMINAL: ReadonlySet<string> = new Set(COMMAND_TERMINAL_TYPES);
const FOLDED_TYPES = [...HOST_TYPES, 'command.accepted', ...COMMAND_TERMINAL_TYPES];

/**
 * The enrolled hosts as the log tells them (host.* folded with the shared
 * evolveHosts), their token hashes, the service definitions their agents declared
 * (in memory: an agent says them again on every hello), and which running
 * commands belong to which host. Everything agent-related on the server asks here.
 */
@Injectable()
export class HostsRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Hosts');
  private hosts: Record<string, HostView> = {};
  private readonly tokenHashes = new Map<string, string>();
  private readonly configs = new Map<string, ServiceConfig>();
  /** Open commands of agents' services: commandId → host. */
  private readonly commandHosts = new Map<string, string>();
  private readonly revokedSubject = new Subject<string>();
  /** Host names as they are revoked (their streams close at once). */
  readonly revoked$ = this.revokedSubject.asObservable();
  private position = 0;
  private subscription?: Subscription;

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await catchUpThenFollow(
      this.store,
      async () => {
        for await (const event of this.store.read(1, { types: FOLDED_TYPES })) this.fold(event);
      },
      (event) => {
        this.fold(event);
      },
    );
    this.logger.log(`${Object.keys(this.hosts).length} enrolled host(s)`);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.revokedSubject.complete();
  }

  // ---------------------------------------------------------------- queries

  list(): HostView[] {
    return Object.values(this.hosts).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): HostView | undefined {
    return hostNamed(this.hosts, name);
  }

  /** The host the token proves, if it is that enrolled, unrevoked host's token. */
  authenticate(name: string, token: string): HostView | undefined {
    const hash = this.tokenHashes.get(name);
    const host = hostNamed(this.hosts, name);
    if (!hash || !host || host.status === 'revoked') return undefined;
    return hostTokenMatches(token, hash) ? host : undefined;
  }

  isOnline(name: string): boolean {
    return hostNamed(this.hosts, name)?.status === 'online';
  }

  /** The host whose agent declared this service. */
  hostOfService(environment: string, service: string): string | undefined {
    return hostOfService(this.hosts, environment, service);
  }

  /** The host that runs this accepted command: its service's host, or for cancel the host of the command it cancels. */
  hostOfCommand(command: Pick<CommandAcceptedData, 'type' | 'target' | 'environment'>): string | undefined {
    if (command.type === 'cancel') return this.commandHosts.get(command.target);
    if (command.type === 'ping') return undefined;
    return this.hostOfService(command.environment, command.target);
  }

  /** Open (unfinished) commands of one host. */
  openCommandsOf(host: string): string[] {
    return [...this.commandHosts].filter(([, owner]) => owner === host).map(([commandId]) => commandId);
  }

  configOf(environment: string, service: string): ServiceConfig | undefined {
    return this.configs.get(serviceKey(environment, service));
  }

  /** The definitions an agent declared at its hello (already validated). */
  setConfigs(host: string, services: { environment: string; config: ServiceConfig }[]): void {
    for (const [key, config] of this.configs) {
      const [environment] = key.split('/');
      if (this.hostOfService(environment, config.name) === host) this.configs.delete(key);
    }
    for (const { environment, config } of services) this.configs.set(serviceKey(environment, config.name), config);
  }

  // ---------------------------------------------------------------- fold

  private fold(event: StoredEvent): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    if (event.type === 'command.accepted') {
      const host = this.hostOfCommand(event.data);
      if (host) this.commandHosts.set(event.data.commandId, host);
      return;
    }
    if (TERMINAL.has(event.type)) {
      this.commandHosts.delete((event.data as { commandId: string }).commandId);
      return;
    }
    if (!(HOST_TYPES as readonly string[]).includes(event.type)) return;
    this.hosts = evolveHosts(this.hosts, event);
    if (event.type === 'host.enrolled') this.tokenHashes.set(event.data.name, event.data.tokenHash);
    if (event.type === 'host.revoked') {
      this.tokenHashes.delete(event.data.name);
      this.revokedSubject.next(event.data.name);
    }
  }
}
