// Incremental refresh equals a full refresh, byte for byte, on every warehouse that runs here: the demo
// warehouse fills day by day (some rows arriving 20 h late), and each day every spec is refreshed from
// state and, separately, in full; results.json's statistics must be identical (src/state/refresh-identity.ts).
// Besides the demo specs: the quantile fixture (unit- and event-level quantiles) and a breakdown by an
// attribute table whose values change between runs with no new exposure row.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { firstDifference, statisticsJson } from '../../src/state/refresh-identity.js';
import { arrivedCopy } from '../helpers/arrival-copy.js';
import { addPlanSpec, PLAN_SPEC_ID, userPlansSql } from '../helpers/demo-plan-attribute.js';
import { demoProject } from '../helpers/demo-project.js';
import { loadDuckdbIntoPostgres } from '../helpers/load-demo-into-postgres.js';
import { adminClient, freshDatabase, postgresServer, postgresTarget } from '../helpers/postgres-database.js';
import { addQuantileSpecs } from '../helpers/quantile-project.js';

const DAYS = ['2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25'].map((d) => `${d}T00:00:00.000Z`);
const DAY_SECONDS = 86_400;

let project: string;
let demoDb: string;
beforeAll(async () => {
  project = await demoProject();
  addQuantileSpecs(project);
  addPlanSpec(project);
  demoDb = join(project, 'target', 'demo.duckdb');
}, 120_000);

interface Side {
  plain: Target;
  withState: Target;
  /** Makes the source hold what arrived by asOf. */
  deliver(asOf: string, since: string | null): Promise<number>;
}

async function side(warehouse: 'duckdb' | 'postgres', dir: string): Promise<Side> {
  const arrived = join(dir, 'arrived.duckdb');
  const state = { writeSchema: warehouse === 'duckdb' ? join(dir, 'state.duckdb') : 'exptrack_state', incremental: false, lateLookbackSeconds: DAY_SECONDS, concurrency: null };
  if (warehouse === 'duckdb') {
    const plain: Target = { name: 'arrived', type: 'duckdb', settings: { path: arrived }, unsetVariables: [] };
    return { plain, withState: { ...plain, state }, deliver: async (asOf, since) => (await arrivedCopy(demoDb, arrived, asOf, since, [userPlansSql(asOf)])).lateRows };
  }
  const server = postgresServer();
  const database = 'exptrack_incremental_identity';
  await freshDatabase(server, database);
  const plain = postgresTarget(server, database);
  return {
    plain,
    withState: { ...plain, state },
    deliver: async (asOf, since) => {
      const { lateRows } = await arrivedCopy(demoDb, arrived, asOf, since, [userPlansSql(asOf)]);
      const admin = await adminClient(server, database);
      try {
        await loadDuckdbIntoPostgres(arrived, admin);
      } finally {
        await admin.end();
      }
      return lateRows;
    },
  };
}

const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;

describe.each(['duckdb', 'postgres'] as const)('incremental refresh on %s', (warehouse) => {
  it('equals a full refresh byte for byte after each daily run, late rows included', async () => {
    const dir = mkdtempSync(join(tmpdir(), `exptrack-incremental-${warehouse}-`));
    const s = await side(warehouse, dir);
    const config = loadProjectConfig(project);
    expect(getTarget(config, undefined).state?.writeSchema ?? null).toBeNull();
    let since: string | null = null;
    let lateSeen = 0;
    const stepsSeen: string[] = [];
    for (const [i, asOf] of DAYS.entries()) {
      lateSeen += await s.deliver(asOf, since);
      since = asOf;
      const inc = await runProject({ config, target: s.withState, selectors: [], asOf, reportsDir: join(dir, 'incremental'), incremental: true });
      const full = await runProject({ config, target: s.plain, selectors: [], asOf, reportsDir: join(dir, 'full') });
      for (const [k, e] of inc.experiments.entries()) {
        const a = readResults(e.packageDir);
        const b = readResults(full.experiments[k].packageDir);
        // Every spec refreshes from state: quantile metrics and attribute-table dimensions no longer fall back.
        expect(a.refresh?.mode, `${e.id} on ${asOf}`).toBe(i === 0 ? 'rebuild' : 'incremental');
        // Only pairs (joined row by row on the pair key) and an event-level quantile's step run whole, named.
        const whole = (a.refresh?.fullSteps ?? []).map((x) => x.split(' ')[0]).sort();
        const eventLevel = e.id === 'checkout_quantile';
        expect(whole, `${e.id} on ${asOf}`).toEqual(Object.keys(b.data).filter((k) => k === 'pairs' || (eventLevel && k === 'quantiles')).sort());
        if (eventLevel) expect(a.refresh?.fullSteps?.join('\n')).toMatch(/quantiles \(event-level quantile metrics/);
        stepsSeen.push(...Object.keys(a.data).filter((k) => !whole.includes(k)));
        // The attribute table changed under the state (users upgraded with no new exposure): the breakdown shows it.
        if (e.id === PLAN_SPEC_ID) expect(JSON.stringify(a.data.metrics).includes('"enterprise"'), `${asOf}`).toBe(asOf >= '2026-10-24');
        // The first differing path, readable, then the bytes.
        expect(firstDifference(a, b), `${e.id} on ${asOf}`).toBeNull();
        expect(statisticsJson(a), `${e.id} on ${asOf}`).toBe(statisticsJson(b));
      }
    }
    // The late rows that arrived after the run that had passed their event time were there to catch.
    expect(lateSeen).toBeGreaterThan(0);
    // The steps this test is about were read from state, not merely skipped.
    for (const step of ['assignment', 'ranks', 'shift_bins', 'quantiles']) expect(stepsSeen, step).toContain(step);
  }, 600_000);
});
