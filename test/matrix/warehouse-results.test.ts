// Results and decisions back in the warehouse (src/warehouse-results), on DuckDB (a state file beside the
// read-only source) and the real Postgres server: every package's rows land in the results table with
// the package's digest and results.json's numbers; writing a run id again replaces its rows; two runs are
// two sets; `decide` adds its row; and a write that fails leaves the package intact and says so.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/audit/decisions.js';
import { loadProjectConfig, type ProjectConfig, type Target } from '../../src/config/project-config.js';
import { verifyPackage } from '../../src/report/verify-package.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { sha256 } from '../../src/util/digest.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import type { Adapter, Row } from '../../src/warehouse/types.js';
import { resultsRows } from '../../src/warehouse-results/results-rows.js';
import { syncDecisions } from '../../src/warehouse-results/write-decisions.js';
import { writeBackLocation } from '../../src/warehouse-results/warehouse-write.js';
import { readPackageForWrite, writeResultsBack } from '../../src/warehouse-results/write-results.js';
import { demoProject } from '../helpers/demo-project.js';
import { freshDatabaseFrom } from '../helpers/load-demo-into-postgres.js';
import { adminClient, postgresServer, postgresTarget } from '../helpers/postgres-database.js';

const AS_OF = '2026-10-25T00:00:00.000Z';
let project: string;
let config: ProjectConfig;
beforeAll(async () => {
  project = await demoProject();
  config = loadProjectConfig(project);
}, 120_000);

const noState = { incremental: false, lateLookbackSeconds: null, concurrency: null };

/** A target of the warehouse with a write location, plus SQL run by an admin on the side (to break things). */
async function writableTarget(warehouse: 'duckdb' | 'postgres', name: string, extra: Partial<Target['state']> = {}): Promise<{ target: Target; admin(sql: string): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `exptrack-whresults-${warehouse}-`));
  if (warehouse === 'duckdb') {
    const statePath = join(dir, 'results.duckdb');
    const target: Target = { name: 'duck_out', type: 'duckdb', settings: { path: join(project, 'target', 'demo.duckdb') }, unsetVariables: [], state: { writeSchema: statePath, ...noState, ...extra } };
    return {
      target,
      async admin(sql) {
        const { DuckDBInstance } = await import('@duckdb/node-api');
        const inst = await DuckDBInstance.create(statePath);
        const c = await inst.connect();
        await c.run(sql);
        c.closeSync();
        inst.closeSync();
      },
    };
  }
  const server = postgresServer();
  await freshDatabaseFrom(server, name, join(project, 'target', 'demo.duckdb'));
  const plain = postgresTarget(server, name);
  return {
    target: { ...plain, state: { writeSchema: 'exptrack_out', ...noState, ...extra } },
    async admin(sql) {
      const c = await adminClient(server, name);
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    },
  };
}

async function readTable(target: Target, table: 'results' | 'decisions', where = ''): Promise<Row[]> {
  const warehouse = getWarehouse(target.type);
  const loc = writeBackLocation(target, warehouse)!;
  const adapter: Adapter = await warehouse.createAdapter(target.settings, { projectRoot: project, targetName: target.name, writeSchema: target.state!.writeSchema! });
  try {
    const name = warehouse.dialect.quoteTable(`${loc.schemaRef}.${table === 'results' ? loc.resultsTable : loc.decisionsTable}`);
    return await adapter.query(`SELECT * FROM ${name} ${where}`, { experiment: '-', step: 'test read' });
  } finally {
    await adapter.close();
  }
}

const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
const byKey = (rows: Row[]) => new Map(rows.map((r) => [`${r.run_id}|${r.row_key}`, r]));

describe.each(['duckdb', 'postgres'] as const)('results and decisions in the warehouse on %s', (warehouse) => {
  it('appends each run once per run id, with results.json values and the package digest in every row; decide adds a row', async () => {
    const { target } = await writableTarget(warehouse, 'exptrack_whresults_roundtrip');
    const reportsDir = mkdtempSync(join(tmpdir(), 'exptrack-whresults-reports-'));
    const first = await runProject({ config, target, selectors: [], asOf: AS_OF, reportsDir });
    expect(first.exitCode).not.toBe(2);
    let expected = 0;
    const stored = byKey(await readTable(target, 'results'));
    for (const e of first.experiments) {
      expect(e.warehouseResults, e.id).toMatchObject({ written: true });
      const results = readResults(e.packageDir);
      const digest = sha256(readFileSync(join(e.packageDir, 'SHA256SUMS')));
      expect(e.packageDigest).toBe(digest);
      // Every row equals the long form of results.json, column for column, doubles to the last bit.
      const want = resultsRows(results, digest);
      expected += want.length;
      for (const w of want) {
        const got = stored.get(`${w.run_id}|${w.row_key}`);
        expect(got, `${e.id} ${w.metric} ${w.dimension}=${w.dimension_value} ${w.variant}`).toBeDefined();
        expect({ ...got, as_of: new Date(String(got!.as_of)).toISOString() }).toEqual(w);
      }
      // And, read straight off results.json: each arm's numbers and each comparison's estimates.
      for (const m of results.metrics) {
        for (const arm of m.arms) {
          const row = [...stored.values()].find((r) => r.run_id === results.run.runId && r.metric === m.name && r.dimension === null && r.variant === arm.variant)!;
          expect(row.units).toBe(arm.n);
          expect(row.mean).toBe(arm.mean);
          expect(row.package_digest).toBe(digest);
          expect(row.recommendation).toBe(results.decision.recommendation);
          const c = m.comparisons.find((x) => x.variant === arm.variant);
          expect(row.is_control).toBe(arm.variant === results.experiment.control);
          expect(row.relative_lift).toBe(c ? c.relative.lift : null);
          expect(row.relative_p_value).toBe(c && Number.isFinite(c.relative.pValue) ? c.relative.pValue : null);
          expect(row.relative_ci_low).toBe(c ? c.relative.ci[0] : null);
        }
      }
    }
    expect(stored.size).toBe(expected);

    // The same run id again (a retry of the write): replaced, not duplicated.
    const again = readPackageForWrite(first.experiments[0].packageDir);
    const loc = writeBackLocation(target, getWarehouse(target.type))!;
    const adapter = await getWarehouse(target.type).createAdapter(target.settings, { projectRoot: project, targetName: target.name, writeSchema: target.state!.writeSchema! });
    try {
      expect(await writeResultsBack({ adapter, warehouse: getWarehouse(target.type), loc, results: again.results, packageDigest: again.digest })).toMatchObject({ written: true });
    } finally {
      await adapter.close();
    }
    expect((await readTable(target, 'results')).length).toBe(expected);

    // A second run: a second set of rows under its own run ids.
    const second = await runProject({ config, target, selectors: [], asOf: AS_OF, reportsDir });
    const all = await readTable(target, 'results');
    expect(all.length).toBe(2 * expected);
    const runIds = new Set(all.map((r) => r.run_id));
    expect(runIds).toEqual(new Set([...first.experiments, ...second.experiments].map((e) => e.runId)));

    // decide: the decisions.jsonl record, as a row; syncing again adds nothing.
    const exp = second.experiments[0];
    const rec = await recordDecision({ reportsDir, experiment: exp.id, decision: exp.recommendation, by: 'Ana', note: 'line one\nline two', variant: exp.recommendation === 'ship' ? (exp.variant ?? undefined) : undefined, acknowledge: 'test', signer: null });
    expect(await syncDecisions({ config: { ...config, targets: new Map([[target.name, target]]), defaultTarget: target.name }, reportsDir, experiment: exp.id })).toMatchObject({ written: true, rows: 1 });
    expect(await syncDecisions({ config: { ...config, targets: new Map([[target.name, target]]) }, targetName: target.name, reportsDir, experiment: exp.id })).toMatchObject({ written: true, rows: 1 });
    const decisions = await readTable(target, 'decisions');
    expect(decisions).toHaveLength(1);
    const line = readFileSync(join(reportsDir, exp.id, 'decisions.jsonl'), 'utf8').split('\n')[0];
    expect({ ...decisions[0], decided_at: new Date(String(decisions[0].decided_at)).toISOString() }).toEqual({
      experiment: exp.id,
      sequence: 1,
      decision: rec.decision,
      variant: rec.variant,
      decided_by: 'Ana',
      note: 'line one\\nline two',
      decided_at: rec.decidedAt,
      package_run_id: exp.runId,
      package_digest: exp.packageDigest,
      recommendation: exp.recommendation,
      recommended_variant: exp.variant,
      acknowledgement: rec.acknowledgement?.reason ?? null,
      record_sha256: sha256(line),
    });
  }, 300_000);

  it('reports a failed write (exit code 2, warehouseResults) and leaves the package whole', async () => {
    const { target, admin } = await writableTarget(warehouse, 'exptrack_whresults_fail', { resultsTable: 'broken_results' });
    // A table of that name that the MERGE cannot fill.
    if (warehouse === 'postgres') await admin('CREATE SCHEMA exptrack_out');
    await admin(`CREATE TABLE ${warehouse === 'postgres' ? 'exptrack_out.' : ''}broken_results (something_else INTEGER)`);
    const reportsDir = mkdtempSync(join(tmpdir(), 'exptrack-whresults-reports-'));
    const summary = await runProject({ config, target, selectors: ['homepage_aa'], asOf: AS_OF, reportsDir });
    expect(summary.exitCode).toBe(2);
    const [e] = summary.experiments;
    expect(e.warehouseResults).toMatchObject({ written: false });
    expect((e.warehouseResults as { error: string }).error).toMatch(/run_id|row_key|column/i);
    expect(verifyPackage(e.packageDir).ok).toBe(true);
    expect(readResults(e.packageDir).run.runId).toBe(e.runId);
  }, 300_000);
});
