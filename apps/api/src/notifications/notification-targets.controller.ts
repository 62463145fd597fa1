import { Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { nameSchema, type NotificationTargetSummary, type NotificationTestResult } from '@vigil/shared';
import type { Request } from 'express';
import { RequireCapability } from '../auth/require-capability.decorator';
import { requestMeta } from '../common/request-meta';
import { parseOrThrow } from '../common/validation';
import { TestMessages } from './test-messages';

/** The configured notification targets (every signed-in user may see where alerts go) and test messages. */
@Controller('api/notifications/targets')
export class NotificationTargetsController {
  constructor(@Inject(TestMessages) private readonly tests: TestMessages) {}

  @Get()
  list(): NotificationTargetSummary[] {
    return this.tests.list();
  }

  @Post(':name/test')
  @HttpCode(200)
  @RequireCapability('notifications.test')
  test(@Param('name') name: string, @Req() request: Request): Promise<NotificationTestResult> {
    return this.tests.send(parseOrThrow(nameSchema, name, 'name'), requestMeta(request));
  }
}
