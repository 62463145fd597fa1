import { Module } from '@nestjs/common';
import { ReplayModule } from '../replay/replay.module';
import { AlertPreviewController } from './alert-preview.controller';
import { AlertRuleHistoryController } from './alert-rule-history.controller';

/** What the alert rules page needs beyond the rules API: a draft's preview over a recent window, and each rule's history. */
@Module({
  imports: [ReplayModule],
  controllers: [AlertPreviewController, AlertRuleHistoryController],
})
export class AlertRuleToolsModule {}
