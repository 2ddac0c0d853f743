// "Your own warehouse" on the real PostgreSQL server: init --introspect and check read the catalogue
// (information_schema) as a read-only user, and the README's models and spec then give the same
// numbers as on DuckDB.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/demo-project.js';
import { ownWarehouseSql } from '../helpers/own-warehouse-sql.js';
import { adminClient, freshDatabase, postgresServer } from '../helpers/postgres-database.js';
import { readmeWalkthrough } from '../helpers/readme-walkthrough.js';

const DATABASE = 'exptrack_own_warehouse';
const PASSWORD_ENV = 'EXPTRACK_TEST_OWN_PGPASSWORD';
let project: string;

const exptrack = (cwd: string, args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, [PASSWORD_ENV]: 'analyst-pw', NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  const server = postgresServer();
  await freshDatabase(server, DATABASE);
  const admin = await adminClient(server, DATABASE);
  try {
    for (const sql of ownWarehouseSql()) await admin.query(sql);
    // A read-only analyst: init and check must work with SELECT and catalogue rights only.
    await admin.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'own_analyst') THEN CREATE ROLE own_analyst LOGIN PASSWORD 'analyst-pw'; END IF; END $$;
      GRANT USAGE ON SCHEMA app TO own_analyst;
      GRANT SELECT ON ALL TABLES IN SCHEMA app TO own_analyst;`);
  } finally {
    await admin.end();
  }
  project = join(mkdtempSync(join(tmpdir(), 'exptrack-own-pg-')), 'my-experiments');
  mkdirSync(project);
  const init = exptrack(project, ['init', '--type', 'postgres', '--host', server.host, '--port', String(server.port), '--database', DATABASE, '--user', 'own_analyst', '--password-env', PASSWORD_ENV, '--introspect']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
}, 120_000);

describe('init --introspect and check on the real PostgreSQL server', () => {
  it('proposes the same sources as on DuckDB, typed from Postgres type names', () => {
    const sources = readFileSync(join(project, 'models', 'sources.yaml'), 'utf8');
    expect(sources).toMatch(/experiment_exposures:[\s\S]*table: app\.experiment_exposures[\s\S]*account: account_id[\s\S]*timestamp: seen_at[\s\S]*experiment_key: experiment[\s\S]*variant: arm/);
    expect(sources).toMatch(/events:[\s\S]*timestamp: occurred_at[\s\S]*event_name: string[\s\S]*revenue: number/);
    expect(sources).toMatch(/accounts:[\s\S]*table: app\.accounts\n\s+units:\n\s+account: account_id\n\s+columns:\n\s+is_internal: boolean\n\s+plan: string/);
    const config = readFileSync(join(project, 'exptrack.yaml'), 'utf8');
    expect(config).toContain('type: postgres');
    expect(config).toContain(`password_env: ${PASSWORD_ENV}`);
    expect(config).not.toContain('analyst-pw');
  });

  it('check passes, then names a wrong column with its model line and a suggestion', () => {
    expect(exptrack(project, ['check']).code).toBe(0);
    const path = join(project, 'models', 'sources.yaml');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace('timestamp: occurred_at', 'timestamp: occured_at').replace('revenue: number', 'revenue: string'));
    try {
      const r = exptrack(project, ['check', '--json']);
      expect(r.code).toBe(2);
      const d = JSON.parse(r.stdout).diagnostics;
      expect(d.map((x: { field: string; message: string }) => `${x.field}: ${x.message}`)).toEqual([
        "sources.events.timestamp: column 'occured_at' (timestamp) does not exist in app.events; did you mean 'occurred_at'?",
        "sources.events.columns.revenue: column 'revenue' in app.events is double precision, not a string; declare it as number",
      ]);
      expect(d[0].file).toBe('models/sources.yaml');
      expect(d[0].line).toBe(original.split('\n').findIndex((l) => l.includes('timestamp: occurred_at')) + 1);
    } finally {
      writeFileSync(path, original);
    }
  });

  it("the README's models and spec give the DuckDB walkthrough's numbers", () => {
    for (const step of readmeWalkthrough('Your own warehouse')) if (step.kind === 'file') writeFileSync(join(project, step.path), step.text);
    const r = exptrack(project, ['run', '--json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const dir = join(project, 'reports', 'new_checkout');
    const results = JSON.parse(readFileSync(join(dir, readdirSync(dir).filter((n) => /^\d{8}T/.test(n))[0], 'results.json'), 'utf8'));
    expect(results.run.asOf).toBe('2026-09-22T00:00:00.000Z');
    expect(results.decision).toMatchObject({ recommendation: 'ship', variant: 'new' });
    expect(results.audience).toMatchObject({ exposedUnits: 4000, removedByFilters: 88, multipleExposure: { units: 26, alsoRemovedByFilters: 13, counted: 13 }, keptUnits: 3899 });
  });
});
