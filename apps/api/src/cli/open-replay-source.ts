import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectionsFile, type Settings } from '../config/settings';
import type { VigilConfig } from '../config/vigil-config.schema';
import type { EventStore } from '../event-store/event-store';
import { SampleReader } from '../metrics/tsdb/sample-reader';
import { SqliteSampleRows } from '../metrics/tsdb/sqlite-sample-rows';
import { DEFAULT_RETENTION } from '../metrics/tsdb/tier-selection';
import { SqliteCheckpointStore } from '../dashboard/sqlite-checkpoint-store';
import { LogReplaySource } from '../replay/log-replay-source';
import { CliFailure } from './cli-command';

export interface OpenedReplaySource {
  source: LogReplaySource;
  close(): Promise<void>;
}

/**
 * The server's replay source (LogReplaySource: the same snapshot and items GET
 * /api/replay sends) over a data dir, for `vigil export`. The metrics file is
 * opened read-only; the checkpoints only speed snapshots up, so without
 * projections.db they are an empty in-memory store instead of a new file.
 */
export async function openReplaySource(store: EventStore, settings: Settings, config: VigilConfig): Promise<OpenedReplaySource> {
  const metricsFile = join(settings.dataDir, 'metrics.db');
  if (!existsSync(metricsFile)) throw new CliFailure(`no metrics store at ${metricsFile} (set VIGIL_DATA_DIR to the server's data dir)`);
  const projections = projectionsFile(settings);
  const checkpoints = await SqliteCheckpointStore.open({ file: existsSync(projections) ? projections : ':memory:' });
  const metrics = new Database(metricsFile, { readonly: true, fileMustExist: true });
  metrics.pragma('busy_timeout = 5000');
  const retention = { ...DEFAULT_RETENTION, ...config.metrics.retention };
  return {
    source: new LogReplaySource(store, checkpoints, new SampleReader(new SqliteSampleRows(metrics), retention)),
    async close() {
      metrics.close();
      await checkpoints.close();
    },
  };
}
