import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { createUserSchema, EventMeta, NewEvent, RoleSummary, SessionUser, updateUserSchema, UserSummary } from '@vigil/shared';
import type { z } from 'zod';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { ConcurrencyError, EventStore } from '../event-store/event-store';
import { hashPassword } from './password';
import { grantsOf, roleExists, userCreatedEvent } from './user-events';
import { UsersProjection } from './users.projection';
import { toSummary, userStreamOf } from './users-state';

type CreateUser = z.infer<typeof createUserSchema>;
type UpdateUser = z.infer<typeof updateUserSchema>;

/** decide() for users: checks the request against the current users, then appends the events. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  list(): UserSummary[] {
    return this.users.list();
  }

  roles(): RoleSummary[] {
    return Object.keys(this.config.roles).map((name) => {
      const grants = grantsOf(this.config, name);
      return { name, ...(grants.description ? { description: grants.description } : {}), grants };
    });
  }

  private checkRole(role: string): void {
    if (roleExists(this.config, role)) return;
    throw new BadRequestException({
      message: `unknown role "${role}"`,
      details: [{ path: 'body.role', message: `one of: ${Object.keys(this.config.roles).join(', ')}` }],
    });
  }

  async create(body: CreateUser, meta: EventMeta): Promise<UserSummary> {
    this.checkRole(body.role);
    const taken = (): ConflictException => new ConflictException({ message: `user "${body.username}" already exists` });
    if (this.users.byUsername(body.username)) throw taken();
    const { userId, event } = await userCreatedEvent(body.username, body.role, body.password);
    try {
      // Version 0: the log itself refuses a second user of the same name (the id derives from it).
      const [stored] = await this.store.append(userStreamOf(userId), 0, [event], meta);
      const user = this.users.get(userId);
      return user ? toSummary(user) : { id: userId, username: body.username, role: body.role, disabled: false, createdAt: stored.time };
    } catch (error) {
      if (error instanceof ConcurrencyError) throw taken();
      throw error;
    }
  }

  async update(id: string, body: UpdateUser, actor: SessionUser, meta: EventMeta): Promise<UserSummary> {
    const user = this.users.get(id);
    if (!user) throw new NotFoundException({ message: `no user ${id}` });
    if (body.role !== undefined) this.checkRole(body.role);
    if (user.id === actor.id) {
      // So that a system is never left without anyone who can manage users.
      if (body.disabled === true) {
        throw new BadRequestException({
          message: 'you may not disable yourself',
          details: [{ path: 'body.disabled', message: 'ask another admin' }],
        });
      }
      if (body.role !== undefined && !grantsOf(this.config, body.role).capabilities.includes('users.manage')) {
        throw new BadRequestException({
          message: `you may not demote yourself: role "${body.role}" lacks users.manage`,
          details: [{ path: 'body.role', message: 'ask another admin' }],
        });
      }
    }
    const base = { userId: user.id, username: user.username };
    const events: NewEvent[] = [];
    if (body.role !== undefined && body.role !== user.role) {
      events.push({ type: 'user.role-changed', data: { ...base, role: body.role, previousRole: user.role } });
    }
    if (body.password !== undefined) {
      events.push({ type: 'user.password-changed', data: { ...base, passwordHash: await hashPassword(body.password) } });
    }
    if (body.disabled !== undefined && body.disabled !== user.disabled) {
      events.push({ type: body.disabled ? 'user.disabled' : 'user.enabled', data: base });
    }
    if (events.length > 0) await this.store.append(userStreamOf(user.id), 'any', events, meta);
    return toSummary(this.users.get(user.id) ?? user);
  }
}
