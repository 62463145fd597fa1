import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { commandStreamOf, hostStreamOf, type EventMeta } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../event-store/event-store';
import { HostsRegistry } from './hosts-registry';

/** An agent is offline after this long without any request (a heartbeat is sent every 5 s). */
export const OFFLINE_AFTER_MS = 15_000;
const CHECK_EVERY_MS = 1_000;

function systemMeta(host: string): EventMeta {
  return { actor: { id: 'system', username: 'system', roles: [] }, host, correlationId: randomUUID() };
}

/**
 * Who is online: every authenticated agent request is a sign of life; `host.online`
 * is appended when an offline host is heard from, `host.offline` once it has been
 * silent for 15 s. Going offline also closes that host's unfinished commands as
 * interrupted (nobody will finish them, and they hold their service's lock).
 */
@Injectable()
export class HostPresence implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Hosts');
  private readonly lastSeen = new Map<string, number>();
  private readonly versions = new Map<string, string>();
  private readonly pending = new Set<string>();
  private bootedAt = Date.now();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(HostsRegistry) private readonly hosts: HostsRegistry,
  ) {}

  onApplicationBootstrap(): void {
    // Hosts the log says are online get a full grace period from this start.
    this.bootedAt = Date.now();
    this.timer = setInterval(() => {
      this.check();
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  lastSeenAt(name: string): string | undefined {
    const at = this.lastSeen.get(name);
    return at === undefined ? undefined : new Date(at).toISOString();
  }

  agentVersion(name: string): string | undefined {
    return this.versions.get(name);
  }

  /** A sign of life from a host's agent (hello with its version; any later request). */
  async seen(name: string, agentVersion?: string): Promise<void> {
    this.lastSeen.set(name, Date.now());
    if (agentVersion) this.versions.set(name, agentVersion);
    const host = this.hosts.get(name);
    if (host?.status !== 'offline' || this.pending.has(name)) return;
    const version = this.versions.get(name);
    if (!version) return; // online only after a hello
    this.pending.add(name);
    try {
      await this.store.append(
        hostStreamOf(name),
        'any',
        [{ type: 'host.online', data: { name, agentVersion: version } }],
        systemMeta(name),
      );
    } finally {
      this.pending.delete(name);
    }
  }

  /** Forgets a host's presence (revoked). */
  forget(name: string): void {
    this.lastSeen.delete(name);
    this.versions.delete(name);
  }

  private check(): void {
    const now = Date.now();
    for (const host of this.hosts.list()) {
      if (host.status !== 'online' || this.pending.has(host.name)) continue;
      const last = this.lastSeen.get(host.name) ?? this.bootedAt;
      if (now - last <= OFFLINE_AFTER_MS) continue;
      this.pending.add(host.name);
      void this.goOffline(host.name, last).finally(() => this.pending.delete(host.name));
    }
  }

  private async goOffline(name: string, last: number): Promise<void> {
    const lastSeenAt = new Date(last).toISOString();
    const reason = `no word from the agent for ${Math.round(OFFLINE_AFTER_MS / 1000)} s`;
    try {
      await this.store.append(hostStreamOf(name), 'any', [{ type: 'host.offline', data: { name, lastSeenAt, reason } }], systemMeta(name));
      await this.interruptCommandsOf(name);
    } catch (error) {
      this.logger.error(`could not record ${name} going offline: ${String(error)}`);
    }
  }

  private async interruptCommandsOf(name: string): Promise<void> {
    for (const commandId of this.hosts.openCommandsOf(name)) {
      const stream = commandStreamOf(commandId);
      const events = await this.store.readStream(stream);
      const accepted = events.at(0);
      if (accepted?.type !== 'command.accepted') continue;
      await this.store
        .append(
          stream,
          events.length,
          [
            {
              type: 'command.interrupted',
              data: { commandId, reason: `host ${name} went offline while the command was pending or running` },
            },
          ],
          { ...systemMeta(name), environment: accepted.data.environment, causationId: String(accepted.position) },
        )
        .catch(() => undefined); // it ended meanwhile
    }
  }
}
