/** Nest token of the DatabaseSettings (which engine, and the PostgreSQL settings). */
export const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');
/** Nest token of the shared pg.Pool under PostgreSQL; `null` under SQLite. */
export const PG_POOL = Symbol('PG_POOL');
