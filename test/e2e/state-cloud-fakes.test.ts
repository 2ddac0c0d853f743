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
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type ProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { firstDifference, statisticsJson } from '../../src/state/refresh-identity.js';
import { duckdbAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { duckdbSessions } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { arrivedCopy } from '../helpers/arrival-copy.js';
import { demoProject } from '../helpers/demo-project.js';

const SPECS = ['checkout_redesign', 'homepage_aa'];
const DAYS = ['2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10'].map((d) => `${d}T00:00:00.000Z`);
const PASSWORD_ENV = 'EXPTRACK_TEST_STATE_FAKES_PASSWORD';
const STATE = { writeSchema: 'exptrack_state', incremental: false, lateLookbackSeconds: 86_400, concurrency: null };

let project: string;
let demoDb: string;
beforeAll(async () => {
  project = await demoProject();
  demoDb = join(project, 'target', 'demo.duckdb');
  process.env[PASSWORD_ENV] = 'fake-secret';
}, 120_000);
afterAll(() => {
  delete process.env[PASSWORD_ENV];
});

interface Cloud {
  /** Target settings appended to exptrack.yaml. */
  yaml: string;
  /** Fails the next statement matching `pattern` (as the warehouse would: an error answer). */
  failNext(pattern: RegExp): void;
  /** Runs `fn` just before the next statement matching `pattern` runs (another run's commit, say). */
  beforeNext(pattern: RegExp, fn: () => Promise<void>): void;
  /** The warehouse's DuckDB, read outside any fake session (committed data only). */
  admin: DuckDBConnection;
  stats(): { commits: number; rollbacks: number; implicitCommits?: number };
  stop(): Promise<void>;
}

async function startCloud(cloud: 'bigquery' | 'snowflake', file: string, name: string): Promise<Cloud> {
  let fail: RegExp | null = null;
  let hook: { pattern: RegExp; fn: () => Promise<void> } | null = null;
  const take = async (sql: string) => {
    if (hook && hook.pattern.test(sql)) {
      const { fn } = hook;
      hook = null;
      await fn();
    }
    if (!fail || !fail.test(sql)) return false;
    fail = null;
    return true;
  };
  const beforeNext = (pattern: RegExp, fn: () => Promise<void>) => void (hook = { pattern, fn });
  if (cloud === 'bigquery') {
    const answers = await duckdbAnswers(file, { writable: true });
    const bq = new FakeBigqueryServer({
      token: null,
      answer: async (sql, how) => (!how.dryRun && (await take(sql)) ? { fields: [], error: { status: 400, reason: 'invalidQuery', message: 'injected failure' } } : answers.answer(sql, how)),
      onSessionEnd: (id) => answers.endSession(id),
    });
    await bq.start();
    return {
      yaml: `  ${name}:\n    type: bigquery\n    project: demo-project\n    api_endpoint: ${bq.url}\n`,
      failNext: (p) => void (fail = p),
      beforeNext,
      admin: answers.connection,
      stats: () => ({ ...answers.stats }),
      async stop() {
        await bq.stop();
        answers.close();
      },
    };
  }
  const instance = await DuckDBInstance.create(file);
  const admin = await instance.connect();
  const sessions = duckdbSessions(instance);
  const sf = new FakeSnowflakeServer({
    users: { exptrack: 'fake-secret' },
    chunkRows: 500,
    handler: async (q) => ((await take(q.sql)) ? { error: { code: '100038', message: 'injected failure', sqlState: '22018' } } : undefined),
    fallback: (sql, token) => sessions.run(sql, token),
    onSessionEnd: (token) => sessions.end(token),
  });
  await sf.start();
  return {
    yaml: `  ${name}:\n    type: snowflake\n    account: fakeaccount\n    username: exptrack\n    password_env: ${PASSWORD_ENV}\n    access_url: ${sf.url}\n`,
    failNext: (p) => void (fail = p),
    beforeNext,
    admin,
    stats: () => ({ ...sessions.stats }),
    async stop() {
      await sf.stop();
      sessions.close();
      admin.closeSync();
      instance.closeSync();
    },
  };
}

/** Replaces the warehouse's source tables with what arrived by `asOf`, as a loader appending rows would. */
async function deliver(admin: DuckDBConnection, dir: string, asOf: string, since: string): Promise<number> {
  const day = join(dir, `arrived-${asOf.slice(0, 10)}.duckdb`);
  const { lateRows } = await arrivedCopy(demoDb, day, asOf, since);
  await admin.run(`ATTACH '${day}' AS arrived (READ_ONLY)`);
  for (const t of ['exposures', 'web_events', 'app_events']) await admin.run(`CREATE OR REPLACE TABLE main.${t} AS SELECT * FROM arrived.main.${t}`);
  await admin.run('DETACH arrived');
  return lateRows;
}

const rows = async (c: DuckDBConnection, sql: string) => JSON.stringify((await c.runAndReadAll(sql)).getRowsJson());

/** Everything stored for one experiment, in a fixed order. */
async function stored(c: DuckDBConnection, id: string): Promise<string> {
  return [
    await rows(c, `SELECT * FROM exptrack_state.exptrack_state WHERE experiment_id = '${id}'`),
    await rows(c, `SELECT * FROM exptrack_state.exptrack_${id}_units ORDER BY ALL`),
    await rows(c, `SELECT * FROM exptrack_state.exptrack_${id}_sources ORDER BY ALL`),
    await rows(c, `SELECT * FROM exptrack_state.exptrack_${id}_quality ORDER BY ALL`),
  ].join('\n');
}

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
      if (i > 0) late += await deliver(c.admin, dir, asOf, DAYS[i - 1]);
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
    await deliver(c.admin, dir, DAYS[3], DAYS[2]);
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
});
