import { Module } from '@nestjs/common';
import type pg from 'pg';
import { SETTINGS } from '../config/config.module';
import { projectionsFile, type Settings } from '../config/settings';
import type { DatabaseSettings } from '../database/database-settings';
import { DATABASE_SETTINGS, PG_POOL } from '../database/database.tokens';
import { postgresOf, readModelNodeName } from '../database/read-model-engine';
import { AuditController } from './audit.controller';
import { AuditProjection } from './audit.projection';
import { AuditStore } from './audit-store';
import { PgAuditStore } from './pg-audit-store';
import { SqliteAuditStore } from './sqlite-audit-store';

/** The audit read model (projections.db), its API and export, and chain verification. */
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: AuditStore,
      inject: [SETTINGS, DATABASE_SETTINGS, PG_POOL],
      useFactory: (settings: Settings, database: DatabaseSettings, pool: pg.Pool | null): Promise<AuditStore> => {
        const postgres = postgresOf(database, pool);
        if (postgres) return PgAuditStore.open({ ...postgres, node: readModelNodeName() });
        return SqliteAuditStore.open({ file: projectionsFile(settings) });
      },
    },
    AuditProjection,
  ],
  exports: [AuditProjection],
})
export class AuditModule {}
