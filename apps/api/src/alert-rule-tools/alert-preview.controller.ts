import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { alertRulePreviewSchema, type AlertRulePreview } from '@vigil/shared';
import { RequireCapability } from '../auth/require-capability.decorator';
import { parseOrThrow } from '../common/validation';
import { ReplayService } from '../replay/replay.service';
import { previewRule } from './preview-rule';

/** POST /api/alert-rules/preview: whether and when a draft rule would have fired on the last minutes' data. */
@Controller('api/alert-rules/preview')
export class AlertPreviewController {
  constructor(@Inject(ReplayService) private readonly replay: ReplayService) {}

  @Post()
  @HttpCode(200)
  @RequireCapability('alerts.manage')
  preview(@Body() body: unknown): Promise<AlertRulePreview> {
    const { rule, minutes } = parseOrThrow(alertRulePreviewSchema, body ?? null, 'body');
    const to = new Date();
    const from = new Date(to.getTime() - minutes * 60_000);
    return previewRule(rule, this.replay.windowItems(from, to), from, to);
  }
}
