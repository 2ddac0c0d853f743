// Attribute tables (sources without a timestamp, joined on the unit) as a dimension and as an
// audience filter, on real DuckDB and the real PostgreSQL server: the breakdown by `accounts.plan`
// equals what plain SQL over the tables says, the table is in the input fingerprints, and changing
// one of its rows changes the fingerprint, the change log and `verify --rerun`'s verdict.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { rerunPackage } from '../../src/audit/rerun-package.js';
import { loadProjectConfig, type ProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { ATTRIBUTE_AS_OF, ATTRIBUTE_SPEC_ID, breakdownRows, EXPECTED_BY_PLAN_SQL, writeAttributeProject } from '../helpers/attribute-project.js';
import { ownWarehouseSql } from '../helpers/own-warehouse-sql.js';
import { adminClient, freshDatabase, postgresServer, postgresTarget } from '../helpers/postgres-database.js';
import { MATRIX_WAREHOUSES, type MatrixWarehouse } from '../helpers/warehouse-matrix.js';

/** Runs SQL on the warehouse as its owner (set-up, ground truth and the row change). */
type Admin = (sql: string) => Promise<Record<string, unknown>[]>;

async function setUp(warehouse: MatrixWarehouse): Promise<{ target: Target; admin: Admin }> {
  if (warehouse === 'duckdb') {
    const path = join(mkdtempSync(join(tmpdir(), 'exptrack-attr-')), 'own.duckdb');
    const admin: Admin = async (sql) => {
      const instance = await DuckDBInstance.create(path);
      const c = await instance.connect();
      try {
        return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
      } finally {
        c.closeSync();
        instance.closeSync();
      }
    };
    for (const sql of ownWarehouseSql()) await admin(sql);
    return { admin, target: { name: 'local', type: 'duckdb', settings: getWarehouse('duckdb').configSchema.parse({ path }), unsetVariables: [] } };
  }
  const server = postgresServer();
  await freshDatabase(server, 'exptrack_attribute_tables');
  const admin: Admin = async (sql) => {
    const c = await adminClient(server, 'exptrack_attribute_tables');
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  for (const sql of ownWarehouseSql()) await admin(sql);
  return { admin, target: postgresTarget(server, 'exptrack_attribute_tables') };
}

const asRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [String(r.plan), String(r.arm), Number(r.units), Number(r.purchasers)] as [string, string, number, number]).sort((x, y) => (x[0] + x[1] < y[0] + y[1] ? -1 : 1));

describe.each(MATRIX_WAREHOUSES)('attribute tables on %s', (warehouse) => {
  let config: ProjectConfig;
  let target: Target;
  let admin: Admin;
  const run = async () => {
    const s = await runProject({ config, target, selectors: [], asOf: ATTRIBUTE_AS_OF });
    const e = s.experiments[0];
    return { dir: e.packageDir, results: JSON.parse(readFileSync(join(e.packageDir, 'results.json'), 'utf8')) as Results & { audience: { filters: { unitsRemoved: number }[] } } };
  };
  let first: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    ({ target, admin } = await setUp(warehouse));
    const project = mkdtempSync(join(tmpdir(), 'exptrack-attr-project-'));
    writeAttributeProject(project, '  placeholder:\n    type: duckdb\n    path: unused.duckdb\n', 'placeholder');
    config = loadProjectConfig(project);
    first = await run();
  }, 180_000);

  it('breaks the primary metric down by the attribute table\'s column, as plain SQL over the tables counts it', async () => {
    const expected = asRows(await admin(EXPECTED_BY_PLAN_SQL));
    expect(expected.map((r) => `${r[0]}/${r[1]}`)).toEqual(['free/new', 'free/old', 'pro/new', 'pro/old']);
    expect(breakdownRows(first.results)).toEqual(expected);
    // The same table as an audience filter: 75 + 13 internal accounts removed (own-warehouse-sql.ts).
    expect(first.results.audience.filters[0].unitsRemoved).toBe(88);
    expect(first.results.experiment.dimensions).toEqual(['accounts.plan']);
  });

  it('fingerprints the attribute table whole (a dimension reads every row), with no event times', () => {
    const manifest = JSON.parse(readFileSync(join(first.dir, 'manifest.json'), 'utf8'));
    const fp = manifest.fingerprints.find((f: { source: string }) => f.source === 'accounts');
    expect(fp).toMatchObject({ table: 'app.accounts', timestamp: null, rows: 4000, minEventAt: null, maxEventAt: null, days: {} });
    expect(fp.reads.map((r: { kind: string; name: string }) => `${r.kind}:${r.name}`)).toEqual(['filter:internal_accounts', 'dimension:accounts.plan']);
    expect(fp.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(fp.hash).not.toBe('0000000000000000');
  });

  it('a changed row of the attribute table changes the fingerprint, the change log and verify --rerun', async () => {
    // An analysed account moves from free to pro: same row count, different content.
    await admin("UPDATE app.accounts SET plan = 'pro' WHERE account_id = 'acc_1'");
    const second = await run();
    const fp = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).fingerprints.find((f: { source: string }) => f.source === 'accounts');
    expect(fp(second.dir).rows).toBe(4000);
    expect(fp(second.dir).hash).not.toBe(fp(first.dir).hash);
    const log = readFileSync(join(second.dir, 'CHANGELOG.md'), 'utf8');
    expect(log).toContain('- accounts: rows changed over the same read (rows 4000 -> 4000)');
    expect(log).toContain('- events: unchanged over the same read');
    expect(breakdownRows(second.results)).toEqual(asRows(await admin(EXPECTED_BY_PLAN_SQL)));
    expect(breakdownRows(second.results)).not.toEqual(breakdownRows(first.results));
    // The auditor's re-run of the first package notices the change and names the table.
    const rerun = await rerunPackage(first.dir, target, config.root);
    expect(rerun.inputs?.same).toBe(false);
    expect(rerun.inputs?.sources.filter((s) => !s.same).map((s) => s.source)).toEqual(['accounts']);
  });
});
