import { Module } from '@nestjs/common';
import { SETTINGS } from '../config/config.module';
import { projectionsFile, type Settings } from '../config/settings';
import { AuditController } from './audit.controller';
import { AuditProjection } from './audit.projection';
import { AuditStore } from './audit-store';
import { SqliteAuditStore } from './sqlite-audit-store';

/** The audit read model (projections.db), its API and export, and chain verification. */
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: AuditStore,
      inject: [SETTINGS],
      useFactory: (settings: Settings): Promise<AuditStore> => SqliteAuditStore.open({ file: projectionsFile(settings) }),
    },
    AuditProjection,
  ],
  exports: [AuditProjection],
})
export class AuditModule {}
