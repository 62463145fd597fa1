import type pg from 'pg';

/** Advisory lock keys (two int4s): the first says "Vigil", the second what is locked. */
export const LOCK_CLASS = 0x56_49_47_49;
export const LEADER_LOCK = 1;
const SCHEMA_LOCK = 2;

/**
 * The cluster's own tables, created if missing under a transaction-scoped advisory
 * lock (so nodes starting together do not race on CREATE TABLE). Node rows are
 * keyed by name; `instance_id` tells a restarted node from the one before it.
 */
export async function ensureClusterSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, SCHEMA_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS vigil_nodes (
      name text PRIMARY KEY,
      instance_id uuid NOT NULL,
      pid integer,
      started_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      stopped boolean NOT NULL DEFAULT false)`);
    await client.query(`CREATE TABLE IF NOT EXISTS vigil_secrets (
      name text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface NodeRow {
  name: string;
  last_seen_at: Date;
  alive: boolean;
  leader: boolean;
}

/** Every node with whether it is alive (recent heartbeat, not stopped) and whether its lease session holds the leader lock. */
export const LIST_NODES = `
  SELECT n.name, n.last_seen_at,
         (NOT n.stopped AND n.last_seen_at > clock_timestamp() - make_interval(secs => $1)) AS alive,
         (NOT n.stopped AND EXISTS (SELECT 1 FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.granted AND l.pid = n.pid
              AND l.classid = ${LOCK_CLASS} AND l.objid = ${LEADER_LOCK} AND l.objsubid = 2)) AS leader
  FROM vigil_nodes n ORDER BY n.name`;

/** Registers this instance under its name, unless a live node holds it (then no row comes back). */
export const CLAIM_NAME = `
  INSERT INTO vigil_nodes AS n (name, instance_id, started_at, last_seen_at, stopped)
  VALUES ($1, $2, clock_timestamp(), clock_timestamp(), false)
  ON CONFLICT (name) DO UPDATE SET instance_id = EXCLUDED.instance_id, started_at = EXCLUDED.started_at,
    last_seen_at = EXCLUDED.last_seen_at, stopped = false, pid = NULL
  WHERE n.stopped OR n.last_seen_at <= clock_timestamp() - make_interval(secs => $3)
  RETURNING n.instance_id`;

/** The heartbeat: only this instance's row (0 rows: another instance took the name over). */
export const HEARTBEAT = `
  UPDATE vigil_nodes SET last_seen_at = clock_timestamp(), pid = pg_backend_pid()
  WHERE name = $1 AND instance_id = $2`;
