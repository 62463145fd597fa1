import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { ConfigError } from '../config/load-config';
import { ConcurrencyError, EventStore } from '../event-store/event-store';
import { passwordSchema } from '@vigil/shared';
import { AUTH_SETTINGS, type AuthSettings } from './auth-settings';
import { generatePassword, prepareDummyHash } from './password';
import { userCreatedEvent } from './user-events';
import { UsersProjection } from './users.projection';
import { readLogSettings } from '../logging/log-settings';
import { userStreamOf } from './users-state';

export const FIRST_ADMIN = 'admin';

/** The role the first user gets: `admin`, or else the first configured role that manages users. */
export function firstAdminRole(config: VigilConfig): string {
  if (Object.hasOwn(config.roles, 'admin')) return 'admin';
  const manager = Object.entries(config.roles).find(([, grants]) => grants.capabilities.includes('users.manage'));
  return manager ? manager[0] : 'admin';
}

/** A boxed message for the one time a generated password is shown. */
export function passwordBox(username: string, password: string): string {
  const lines = [
    'Vigil created the first user. Its password is shown only this once:',
    '',
    `  username: ${username}`,
    `  password: ${password}`,
    '',
    'Log in and keep it somewhere safe (or start with VIGIL_ADMIN_PASSWORD).',
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return [rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule].join('\n');
}

/**
 * First start with no users: creates `admin` from VIGIL_ADMIN_PASSWORD, or with a
 * generated password printed once to stdout. Runs before HTTP is served.
 */
@Injectable()
export class FirstAdmin implements OnModuleInit {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.users.ready, prepareDummyHash()]);
    if (this.users.size > 0) return;
    const role = firstAdminRole(this.config);
    if (!Object.hasOwn(this.config.roles, role))
      this.logger.warn(`no configured role manages users; creating "${FIRST_ADMIN}" with role "${role}" anyway`);
    if (this.settings.adminPassword !== undefined && !passwordSchema.safeParse(this.settings.adminPassword).success) {
      throw new ConfigError('VIGIL_ADMIN_PASSWORD must be 12 to 1024 characters');
    }
    const password = this.settings.adminPassword ?? generatePassword();
    const { userId, event } = await userCreatedEvent(FIRST_ADMIN, role, password);
    try {
      await this.store.append(userStreamOf(userId), 0, [event], {
        actor: { id: 'system', username: 'system', roles: [] },
        correlationId: randomUUID(),
      });
    } catch (error) {
      // Created meanwhile by another process (the CLI): nothing to do.
      if (error instanceof ConcurrencyError) return;
      throw error;
    }
    if (this.settings.adminPassword) {
      this.logger.log(`created user "${FIRST_ADMIN}" (role ${role}) with the password from VIGIL_ADMIN_PASSWORD`);
    } else if (readLogSettings().format === 'json') {
      // One record a log pipeline keeps whole (a box would be eight records).
      this.logger.log('created the first user; its password is shown only this once', { username: FIRST_ADMIN, role, password });
    } else {
      process.stdout.write(`\n${passwordBox(FIRST_ADMIN, password)}\n\n`);
    }
  }
}
