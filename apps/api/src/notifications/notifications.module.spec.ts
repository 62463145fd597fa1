import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raised, waitFor, WebhookReceiver } from '../../../../test/support/notification-fixtures';
import { VIGIL_CONFIG } from '../config/config.module';
import { EventStore } from '../event-store/event-store';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { NotificationService } from './notification.service';
import { notificationsConfigSchema } from '../config/notifications-config.schema';
import { NotificationsModule } from './notifications.module';
import { Notifier } from './notifier';

describe('NotificationsModule', () => {
  it('binds Notifier to NotificationService, configured from the `notifications` key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-di-'));
    const store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    const hook = await new WebhookReceiver().start();
    @Global()
    @Module({
      providers: [
        { provide: EventStore, useValue: store },
        {
          provide: VIGIL_CONFIG,
          useValue: {
            notifications: {
              groupWindowSeconds: 0,
              targets: [{ type: 'webhook', name: 'h', url: hook.url }],
              routes: [{ targets: ['h'] }],
            },
          },
        },
      ],
      exports: [EventStore, VIGIL_CONFIG],
    })
    class FakeGlobals {}
    @Module({ imports: [FakeGlobals, NotificationsModule] })
    class Root {}
    // Nest types its options as a class but reads a plain object of its fields.
    const options: Partial<NonNullable<Parameters<typeof NestFactory.createApplicationContext>[1]>> = { logger: false };
    const app = await NestFactory.createApplicationContext(Root, options);
    try {
      const notifier = app.get(Notifier);
      expect(notifier).toBeInstanceOf(NotificationService);
      expect(app.get(NotificationService)).toBe(notifier);
      notifier.enqueue(raised('di1'), { silenced: false });
      await waitFor(() => hook.requests.length === 1);
      expect((hook.requests[0].body as { alerts: { alertId: string }[] }).alerts[0].alertId).toBe('di1');
    } finally {
      await app.close();
      await hook.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('notificationsConfigSchema', () => {
  it('defaults to no targets, a 10 s window and 5 attempts from 1 s, doubling to 60 s', () => {
    expect(notificationsConfigSchema.parse({})).toEqual({
      targets: [],
      routes: [],
      groupWindowSeconds: 10,
      timeoutSeconds: 5,
      retry: { attempts: 5, initialBackoffMs: 1000, maxBackoffMs: 60_000 },
    });
  });

  it('rejects routes to unknown targets, duplicate names and header injection', () => {
    const result = notificationsConfigSchema.safeParse({
      targets: [
        { type: 'webhook', name: 'a', url: 'https://example.test/x', headers: { 'x-token': 'a\r\nx-evil: 1' } },
        { type: 'webhook', name: 'a', url: 'https://example.test/y' },
        { type: 'email', name: 'm', smtp: { host: 'smtp.example.test', port: 587 }, from: 'v@example.test', to: ['nobody'] },
      ],
      routes: [{ targets: ['a', 'b'] }],
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['targets.0.headers.x-token', 'targets.2.to.0', 'targets.1.name', 'routes.0.targets.1']));
  });
});
