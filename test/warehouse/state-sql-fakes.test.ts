// BigQuery's and Snowflake's incremental state SQL, run through the fakes' SQL path: every statement of
// a rebuild and then of an incremental refresh (the demo, two days, late rows included) is translated
// from GoogleSQL / Snowflake SQL to DuckDB exactly as the fake servers do (@polyglot-sql/sdk plus the
// documented repairs in test/fakes/fake-sql-functions.ts) and run in one session on a copy of the demo
// warehouse. The state's reads must give the rows a full refresh's steps give (DuckDB SQL, same data).
//
// The write runs in the order those warehouses' sessions run it (src/state/state-plan.ts sessionWrite:
// a rebuild's forget, the DDL hoisted before BEGIN, the claim, then the DML). The adapters' sessions and
// transactions through the fake servers: test/e2e/state-cloud-fakes.test.ts. What this cannot show:
// locking on those warehouses, and anything the translation changes (the fakes' TRANSLATION_GAPS).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/compile-project.js';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { compileStateRefresh, compileStateSetup, sessionWrite } from '../../src/state/state-plan.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { translateBigquery } from '../fakes/fake-bigquery-duckdb.js';
import { installFakeFunctions, type FakeDialect } from '../fakes/fake-sql-functions.js';
import { translateToDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { arrivedCopy } from '../helpers/arrival-copy.js';
import { addPlanSpec, userPlansSql } from '../helpers/demo-plan-attribute.js';
import { demoProject } from '../helpers/demo-project.js';
import { addQuantileSpecs } from '../helpers/quantile-project.js';
import { placeholderTarget } from '../golden/demo-compile.js';

const DAY1 = '2026-10-08T00:00:00.000Z';
const DAY2 = '2026-10-09T00:00:00.000Z';
const LOOKBACK = 86_400;

let project: string;
beforeAll(async () => {
  project = await demoProject();
  // Beside the demo specs: quantile metrics and an attribute-table dimension, whose state reads differ.
  addQuantileSpecs(project);
  addPlanSpec(project);
}, 120_000);

function translate(dialect: FakeDialect, sql: string): string[] {
  if (dialect === 'snowflake') return translateToDuckdb(sql);
  const t = translateBigquery(sql);
  if (!t.sql) throw new Error(`translation failed: ${t.error}\n${sql}`);
  return [t.sql];
}

/** A cell as a comparable value: numbers by value (scales differ by warehouse), timestamps as instants. */
function norm(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d/.test(v)) return new Date(`${v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')}${/[zZ]|[+-]\d\d(:\d\d)?$/.test(v) ? '' : 'Z'}`).toISOString();
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v)) return `${v}T00:00:00.000Z`;
  return v;
}
const rowsOf = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])))).sort();

async function rowsOn(c: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

describe.each(['bigquery', 'snowflake'] as const)('%s state SQL through the fake translation', (dialect) => {
  let instance: DuckDBInstance;
  let c: DuckDBConnection;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `exptrack-state-${dialect}-`));
    instance = await DuckDBInstance.create(':memory:');
    c = await instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    await installFakeFunctions(c, dialect);
  });
  afterAll(() => {
    c?.closeSync();
    instance?.closeSync();
  });

  it('rebuild, then an incremental refresh: every read equals the full refresh, for every demo spec and the quantile and attribute fixtures', async () => {
    const warehouse = getWarehouse(dialect);
    const renderer = createSqlRenderer(TEMPLATES_DIR, dialect, warehouse.dialect, PACKAGE_ROOT);
    const loc = { schemaRef: 'exptrack_state' };
    const config = loadProjectConfig(project);
    const stored = new Map<string, string>();
    let compared = 0;
    const readNames = new Set<string>();
    for (const [day, asOf] of [DAY1, DAY2].entries()) {
      // The warehouse as it stood at asOf (late rows arriving the next day), as DuckDB file "demo".
      const arrived = join(dir, `day${day}.duckdb`);
      await arrivedCopy(join(project, 'target', 'demo.duckdb'), arrived, asOf, day === 0 ? null : DAY1, [userPlansSql(asOf)]);
      // Loaded into the session's database, beside the state schema, as a loader would append it.
      await c.run(`ATTACH '${arrived}' AS arrived (READ_ONLY)`);
      for (const r of await rowsOn(c, "SELECT table_name FROM duckdb_tables() WHERE database_name = 'arrived'")) {
        await c.run(`CREATE OR REPLACE TABLE memory.main.${String(r.table_name)} AS SELECT * FROM arrived.main.${String(r.table_name)}`);
      }
      await c.run('DETACH arrived');
      const compiled = compileProject(config, placeholderTarget(dialect), [], asOf);
      const full = compileProject(config, placeholderTarget('duckdb'), [], asOf);
      for (const [i, exp] of compiled.experiments.entries()) {
        const run = async (sql: string) => {
          let out: Record<string, unknown>[] = [];
          for (const q of translate(dialect, sql)) out = await rowsOn(c, q);
          return out;
        };
        for (const sql of compileStateSetup(exp, asOf, warehouse.dialect, renderer, loc)) await run(sql);
        const plan = compileStateRefresh({ exp, asOf, dialect: warehouse.dialect, renderer, loc, storedWatermark: stored.get(exp.id) ?? null, lateLookbackSeconds: LOOKBACK, fingerprint: 'f', runId: `r${day}`, toolVersion: 't' });
        expect(plan.mode).toBe(day === 0 ? 'rebuild' : 'incremental');
        for (const sql of plan.stage) await run(sql);
        for (const r of plan.reads) {
          const step = full.compiled[i].steps.find((s) => s.name === r.name)!;
          const want = rowsOf(await rowsOn(c, step.sql));
          expect(want.length, `${exp.id} ${r.name}`).toBeGreaterThan(0);
          expect(rowsOf(await run(r.sql)), `${exp.id} ${r.name} on ${asOf}`).toEqual(want);
          compared++;
          readNames.add(r.name);
        }
        const write = sessionWrite(plan.write);
        for (const sql of [...(day === 0 ? plan.forget : []), ...write.before, ...plan.claim, ...write.inside, ...write.after]) await run(sql);
        stored.set(exp.id, plan.cut);
      }
    }
    expect(compared).toBeGreaterThan(20);
    // The reads from per-unit values ran too (upsell_widget's rank test, the assignment audit, unit quantiles).
    for (const name of ['assignment', 'ranks', 'shift_bins', 'quantiles']) expect(readNames, name).toContain(name);
  }, 300_000);
});
