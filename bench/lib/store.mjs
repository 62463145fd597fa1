// Loads the compiled event store (CommonJS) from dist/api.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const storePath = fileURLToPath(new URL('../../dist/api/event-store/sqlite-event-store.js', import.meta.url));

if (!existsSync(storePath)) {
  process.stderr.write('dist/api is missing: run `npm run build:shared && npm run build:api` first\n');
  process.exit(2);
}

export const { SqliteEventStore } = require(storePath);
export const { EventRecord } = require('../../dist/api/event-store/event-record.entity.js');
export const { chainHash, GENESIS_HASH } = require('../../dist/api/event-store/event-hash.js');
export const { canonicalJson } = require('@vigil/shared');

/** Nest's Logger prints to stdout; keep benchmark output to the result line. */
export function quietNestLogger() {
  const { Logger } = require('@nestjs/common');
  Logger.overrideLogger(['error']);
}

/** The PostgreSQL store and the settings reader, for the cluster benchmarks. */
export const { PostgresEventStore } = require('../../dist/api/event-store/postgres-event-store.js');
export const { readDatabaseSettings } = require('../../dist/api/database/database-settings.js');
