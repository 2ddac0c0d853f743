// vitest globalSetup of the `warehouses` project: one PostgreSQL server for every file that needs one.
// Vitest calls it only when a test of that project is queued, so other runs never start a server.
import type { TestProject } from 'vitest/node';
import { startPostgresServer, type PostgresServerInfo } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresServerInfo & { startupMs: number };
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startPostgresServer();
  project.provide('postgres', {
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database: server.database,
    startupMs: server.startupMs,
  });
  process.stderr.write(`PostgreSQL test server on 127.0.0.1:${server.port}, started in ${Math.round(server.startupMs)} ms\n`);
  return () => server.stop();
}
