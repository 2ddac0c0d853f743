// Incremental refresh on BigQuery and Snowflake, through the official SDKs (@google-cloud/bigquery,
// snowflake-sdk) against the FAKE servers (test/fakes), whose sessions each run on a DuckDB connection of
// their own over one writable warehouse file (temporary tables, BEGIN/COMMIT/ROLLBACK per session;
// BigQuery's ban on permanent DDL inside a transaction and Snowflake's implicit commit on DDL emulated).
// The warehouse fills day by day (late rows included, test/helpers/arrival-copy.ts); each day's
// incremental results.json must equal a full refresh's byte for byte, a statement failing inside the
// write transaction must leave the stored state exactly as it was, and the next run must be right.
// What the fakes cannot show (their header comments, README "Scheduled runs"): BigQuery's cancelling of
// concurrent transactions and Snowflake's table locks, and anything the SQL translation changes.
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type ProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { firstDifference, statisticsJson } from '../../src/state/refresh-identity.js';
import { arrivedCopy } from '../helpers/arrival-copy.js';
import { CLOUD_FAKES_PASSWORD, CLOUD_FAKES_PASSWORD_ENV, deliver, startCloud, stored, type Cloud } from '../helpers/cloud-state-fakes.js';
import { demoProject } from '../helpers/demo-project.js';

const SPECS = ['checkout_redesign', 'homepage_aa'];
const DAYS = ['2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10'].map((d) => `${d}T00:00:00.000Z`);
const STATE = { writeSchema: 'exptrack_state', incremental: false, lateLookbackSeconds: 86_400, concurrency: null };

let project: string;
let demoDb: string;
beforeAll(async () => {
  project = await demoProject();
  demoDb = join(project, 'target', 'demo.duckdb');
  process.env[CLOUD_FAKES_PASSWORD_ENV] = CLOUD_FAKES_PASSWORD;
}, 120_000);
afterAll(() => {
  delete process.env[CLOUD_FAKES_PASSWORD_ENV];
});

const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;

describe.each(['bigquery', 'snowflake'] as const)('incremental refresh through the fake %s', (cloud) => {
  let dir: string;
  let c: Cloud;
  let config: ProjectConfig;
  let plain: Target;
  let withState: Target;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `exptrack-state-${cloud}-`));
    const file = join(dir, 'warehouse.duckdb');
    await arrivedCopy(demoDb, file, DAYS[0], null);
    c = await startCloud(cloud, file, `st_${cloud}`);
    appendFileSync(join(project, 'exptrack.yaml'), c.yaml);
    config = loadProjectConfig(project);
    plain = getTarget(config, `st_${cloud}`);
    withState = { ...plain, state: STATE };
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
  });

  const both = async (asOf: string, tag: string) => {
    const inc = await runProject({ config, target: withState, selectors: SPECS, asOf, reportsDir: join(dir, `inc-${tag}`), incremental: true });
    const full = await runProject({ config, target: plain, selectors: SPECS, asOf, reportsDir: join(dir, `full-${tag}`) });
    return inc.experiments.map((e, k) => ({ id: e.id, inc: readResults(e.packageDir), full: readResults(full.experiments[k].packageDir) }));
  };

  it('refreshes incrementally (no fallback), each day equal to a full refresh byte for byte, late rows included', async () => {
    let late = 0;
    for (const [i, asOf] of DAYS.slice(0, 3).entries()) {
      if (i > 0) late += await deliver(demoDb, c.admin, dir, asOf, DAYS[i - 1]);
      for (const { id, inc, full } of await both(asOf, `day${i}`)) {
        expect(inc.refresh?.mode, `${id} on ${asOf}: ${inc.refresh?.reason}`).toBe(i === 0 ? 'rebuild' : 'incremental');
        expect(firstDifference(inc, full), `${id} on ${asOf}`).toBeNull();
        expect(statisticsJson(inc), `${id} on ${asOf}`).toBe(statisticsJson(full));
      }
    }
    expect(late).toBeGreaterThan(0);
    // Every refresh committed its own transaction; on Snowflake no DDL ever committed one early.
    expect(c.stats().commits).toBe(DAYS.slice(0, 3).length * SPECS.length);
    if (cloud === 'snowflake') expect(c.stats().implicitCommits).toBe(0);
  }, 600_000);

  it('a statement failing inside the write transaction leaves the stored state as it was, and the next run is right', async () => {
    const [id] = SPECS;
    await deliver(demoDb, c.admin, dir, DAYS[3], DAYS[2]);
    const before = await stored(c.admin, id);
    const rollbacks = c.stats().rollbacks;
    // The units' INSERT comes after their DELETE: a rollback that did not happen would show as lost units.
    c.failNext(new RegExp(`INSERT INTO \\S*exptrack_${id}_units`));
    await expect(runProject({ config, target: withState, selectors: [id], asOf: DAYS[3], reportsDir: join(dir, 'failed'), incremental: true })).rejects.toThrow(/injected failure/);
    expect(c.stats().rollbacks).toBe(rollbacks + 1);
    expect(await stored(c.admin, id)).toBe(before);
    for (const { id: e, inc, full } of await both(DAYS[3], 'after-failure')) {
      expect(inc.refresh?.mode, e).toBe('incremental');
      expect(statisticsJson(inc), e).toBe(statisticsJson(full));
    }
    expect(await stored(c.admin, id)).not.toBe(before);
    if (cloud === 'snowflake') expect(c.stats().implicitCommits).toBe(0);
  }, 600_000);

  it('refuses to write over a state another run committed after this one read it (compare-and-set on the meta row)', async () => {
    const [id] = SPECS;
    const before = await stored(c.admin, id);
    // Another run commits between this run's setup read and its claim (as a second machine would).
    c.beforeNext(new RegExp(`^UPDATE \\S*exptrack_state\\S* SET run_id = run_id WHERE experiment_id = '${id}'`, 'm'), async () => {
      await c.admin.run(`UPDATE exptrack_state.exptrack_state SET run_id = 'the-other-run' WHERE experiment_id = '${id}'`);
    });
    await expect(runProject({ config, target: withState, selectors: [id], asOf: DAYS[3], reportsDir: join(dir, 'conflict'), incremental: true })).rejects.toThrow(
      /another run refreshed this experiment's state meanwhile \(stored run the-other-run\)/,
    );
    // The other run's meta row stands; this run wrote none of the state tables.
    const after = (await stored(c.admin, id)).split('\n');
    expect(after.slice(1)).toEqual(before.split('\n').slice(1));
    expect(after[0]).toContain('"the-other-run"');
  }, 300_000);

  it('a rebuild that loses its claim drops the state it may have mixed, and the next run rebuilds correctly', async () => {
    const [id] = SPECS;
    // A rival rebuild commits its meta row between this rebuild's table replacement and its claim.
    c.beforeNext(new RegExp(`^UPDATE \\S*exptrack_state\\S* SET run_id = run_id WHERE experiment_id = '${id}'`, 'm'), async () => {
      await c.admin.run(`INSERT INTO exptrack_state.exptrack_state VALUES ('${id}', 'rival', 'rival', 'rival', 'rival-run', 'rival')`);
    });
    await expect(runProject({ config, target: withState, selectors: [id], asOf: DAYS[3], reportsDir: join(dir, 'rebuild-conflict'), fullRefresh: true })).rejects.toThrow(
      /stored run rival-run.*the next run rebuilds/,
    );
    expect(await c.admin.runAndReadAll(`SELECT * FROM exptrack_state.exptrack_state WHERE experiment_id = '${id}'`).then((r) => r.getRows())).toEqual([]);
    const inc = await runProject({ config, target: withState, selectors: [id], asOf: DAYS[3], reportsDir: join(dir, 'after-rebuild-conflict'), incremental: true });
    const full = await runProject({ config, target: plain, selectors: [id], asOf: DAYS[3], reportsDir: join(dir, 'full-rebuild-conflict') });
    const a = readResults(inc.experiments[0].packageDir);
    expect(a.refresh?.mode).toBe('rebuild');
    expect(statisticsJson(a)).toBe(statisticsJson(readResults(full.experiments[0].packageDir)));
  }, 600_000);

  it('two runs refreshing one experiment at once: the stored state stays consistent (the next run equals a full refresh)', async () => {
    const [id] = SPECS;
    const asOf = '2026-10-11T00:00:00.000Z';
    await deliver(demoDb, c.admin, dir, asOf, DAYS[3]);
    // Two processes' worth of adapters and sessions, started together; whichever way they interleave,
    // at most one may write from the state both read (the other is refused or fails on the fake's conflict).
    const runs = await Promise.allSettled(
      [1, 2].map((n) => runProject({ config, target: withState, selectors: [id], asOf, reportsDir: join(dir, `concurrent-${n}`), incremental: true })),
    );
    expect(runs.some((r) => r.status === 'fulfilled')).toBe(true);
    for (const r of runs) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/another run refreshed|conflict/i);
    const next = '2026-10-12T00:00:00.000Z';
    await deliver(demoDb, c.admin, dir, next, asOf);
    for (const { id: e, inc, full } of await both(next, 'after-concurrent')) {
      expect(inc.refresh?.mode, e).toBe('incremental');
      expect(statisticsJson(inc), e).toBe(statisticsJson(full));
    }
  }, 600_000);
});

