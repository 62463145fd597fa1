import { readNodeName } from './node-identity';

/** What the cluster is built from: the node's name, and the PostgreSQL URL when there is one. */
export interface ClusterSettings {
  nodeName: string;
  /** VIGIL_DATABASE_URL when it is a postgres:// URL: the cluster. Unset: SQLite, one node. */
  databaseUrl?: string;
}

export function readClusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const url = env.VIGIL_DATABASE_URL;
  return {
    nodeName: readNodeName(env),
    ...(url && /^postgres(ql)?:\/\//.test(url) ? { databaseUrl: url } : {}),
  };
}
