import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { SETTINGS } from '../config/config.module';
import { ensureDataDir, type Settings } from '../config/settings';
import { AuditController } from './audit.controller';
import { AuditProjection } from './audit.projection';
import { AuditStore } from './audit-store';

/** The audit read model (projections.db), its API and export, and chain verification. */
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: AuditStore,
      inject: [SETTINGS],
      useFactory: (settings: Settings): Promise<AuditStore> => {
        ensureDataDir(settings.dataDir);
        return AuditStore.open({ file: join(settings.dataDir, 'projections.db') });
      },
    },
    AuditProjection,
  ],
  exports: [AuditProjection],
})
export class AuditModule {}
