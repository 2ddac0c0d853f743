// `check` follows each warehouse's identifier rules. exptrack quotes every name it writes; Postgres
// then matches "Signups" and signups as different tables, DuckDB matches them regardless of case.
// So a model naming app.signups / signedupat over app."Signups"("SignedUpAt") fails on Postgres,
// with a case-insensitive did-you-mean, and passes on DuckDB.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { catalogueFromRows } from '../../src/catalogue/catalogue.js';
import { CLI } from '../helpers/demo-project.js';
import { adminClient, freshDatabase, postgresServer, TEST_PASSWORD_ENV } from '../helpers/postgres-database.js';

const TABLES = [
  'CREATE SCHEMA app',
  'CREATE TABLE app."Signups" (user_id VARCHAR(40), "SignedUpAt" TIMESTAMP, experiment VARCHAR(40), arm VARCHAR(10))',
];

const SOURCE = (table: string) => `sources:\n  signups:\n    table: ${table}\n    units: { user: user_id }\n    timestamp: signedupat\n    experiment_key: experiment\n    variant: arm\nmetrics:\n  signed_up:\n    type: count\n    source: signups\n`;
const SPEC = 'id: case_test\nname: Case\nowner: a@example.com\nhypothesis: h\nunit: user\nexposure: { source: signups, experiment_key: case_test }\nvariants:\n  - { key: a, weight: 0.5 }\n  - { key: b, weight: 0.5 }\nstart: 2026-01-01\nmetrics:\n  primary: signed_up\n';

const project = (target: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-case-'));
  mkdirSync(join(dir, 'models'));
  mkdirSync(join(dir, 'specs'));
  writeFileSync(join(dir, 'exptrack.yaml'), `name: case\ndefault_target: wh\ntargets:\n  wh:\n${target}`);
  writeFileSync(join(dir, 'models', 'sources.yaml'), SOURCE('app.signups'));
  writeFileSync(join(dir, 'specs', 'case_test.yaml'), SPEC);
  return dir;
};
const check = (dir: string) => spawnSync(process.execPath, [CLI, 'check', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('the catalogue check and identifier case', () => {
  it('Postgres: a name that differs only in case is reported, with the real name suggested', async () => {
    const server = postgresServer();
    await freshDatabase(server, 'exptrack_identifier_case');
    const admin = await adminClient(server, 'exptrack_identifier_case');
    try {
      for (const sql of TABLES) await admin.query(sql);
    } finally {
      await admin.end();
    }
    const dir = project(`    type: postgres\n    host: ${server.host}\n    port: ${server.port}\n    database: exptrack_identifier_case\n    user: ${server.user}\n    password_env: ${TEST_PASSWORD_ENV}\n`);
    const r = check(dir);
    expect(r.status, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { field: string; message: string }) => `${d.field}: ${d.message}`)).toEqual([
      "sources.signups.table: table 'app.signups' does not exist in the warehouse; did you mean 'app.Signups'? (this warehouse matches quoted names exactly, case included)",
    ]);
    // With the table's real name, the column is checked the same way.
    writeFileSync(join(dir, 'models', 'sources.yaml'), SOURCE('app.Signups'));
    const c = check(dir);
    expect(JSON.parse(c.stdout).diagnostics.map((d: { message: string }) => d.message)).toEqual([
      "column 'signedupat' (timestamp) does not exist in app.Signups; did you mean 'SignedUpAt'? (this warehouse matches quoted names exactly, case included)",
    ]);
  }, 60_000);

  it('DuckDB: the same model passes, since DuckDB matches names regardless of case', async () => {
    const dir = project('    type: duckdb\n    path: wh.duckdb\n');
    const instance = await DuckDBInstance.create(join(dir, 'wh.duckdb'));
    const c = await instance.connect();
    for (const sql of TABLES) await c.run(sql);
    c.closeSync();
    instance.closeSync();
    const r = check(dir);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).sources).toEqual([{ name: 'signups', table: 'app.signups' }]);
  });

  it('the catalogue matches exactly only where the dialect says so', () => {
    const rows = [{ table_schema: 'app', table_name: 'Signups', column_name: 'SignedUpAt', data_type: 'timestamp' }];
    expect(catalogueFromRows(rows, []).find('app.signups')?.name).toBe('Signups');
    expect(catalogueFromRows(rows, [], { tables: 'exact', columns: 'exact' }).find('app.signups')).toBeUndefined();
    expect(catalogueFromRows(rows, [], { tables: 'exact', columns: 'exact' }).find('app.Signups')?.name).toBe('Signups');
  });
});
