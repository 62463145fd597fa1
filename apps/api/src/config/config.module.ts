import { Global, Module } from '@nestjs/common';
import { configuredEnvironments, EnvironmentCatalog } from './environment-catalog';
import { loadConfig } from './load-config';
import { readSettings, type Settings } from './settings';
import type { VigilConfig } from './vigil-config.schema';

export const SETTINGS = Symbol('SETTINGS');
export const VIGIL_CONFIG = Symbol('VIGIL_CONFIG');

@Global()
@Module({
  providers: [
    { provide: SETTINGS, useFactory: (): Settings => readSettings() },
    {
      provide: VIGIL_CONFIG,
      useFactory: (settings: Settings): VigilConfig => loadConfig(settings.configPath, { required: settings.configRequired }),
      inject: [SETTINGS],
    },
    { provide: EnvironmentCatalog, useFactory: configuredEnvironments, inject: [VIGIL_CONFIG] },
  ],
  exports: [SETTINGS, VIGIL_CONFIG, EnvironmentCatalog],
})
export class ConfigModule {}
