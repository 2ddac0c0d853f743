// Per-file databases on the shared test server, and targets that point the real adapter at them.
import pg from 'pg';
import { inject } from 'vitest';
import type { Target } from '../../src/config/project-config.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import type { PostgresServerInfo } from './postgres-server.js';

/** The adapter reads its password from the environment, as in production; tests use this variable. */
export const TEST_PASSWORD_ENV = 'EXPTRACK_TEST_PGPASSWORD';

export function postgresServer(): PostgresServerInfo {
  const info = inject('postgres');
  if (!info) throw new Error('no PostgreSQL test server: this file must run in the vitest project `warehouses` (test/matrix/)');
  process.env[TEST_PASSWORD_ENV] = info.password;
  return info;
}

/** A plain pg client as the superuser, for setting up fixtures (never for the code under test). */
export async function adminClient(info: PostgresServerInfo, database = info.database): Promise<pg.Client> {
  const client = new pg.Client({ host: info.host, port: info.port, user: info.user, password: info.password, database });
  await client.connect();
  return client;
}

/** Creates (or re-creates) a database for one test file. */
export async function freshDatabase(info: PostgresServerInfo, name: string): Promise<void> {
  const admin = await adminClient(info);
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/** A `type: postgres` target, its settings checked by the warehouse's own schema like exptrack.yaml's. */
export function postgresTarget(info: PostgresServerInfo, database: string, settings: Record<string, unknown> = {}): Target {
  const checked = getWarehouse('postgres').configSchema.parse({
    host: info.host,
    port: info.port,
    database,
    user: info.user,
    password_env: TEST_PASSWORD_ENV,
    ...settings,
  });
  return { name: 'pg_test', type: 'postgres', settings: checked, unsetVariables: [] };
}
