// The fake BigQuery and Snowflake servers over one writable DuckDB warehouse file, session-aware (each
// fake session on a DuckDB connection of its own), with hooks to fail or precede a statement, for the
// incremental-refresh tests through the official SDKs (test/e2e/state-cloud-fakes.test.ts,
// test/e2e/state-kill-cloud-fakes.test.ts).
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { duckdbSessions } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { arrivedCopy } from './arrival-copy.js';

export const CLOUD_FAKES_PASSWORD_ENV = 'EXPTRACK_TEST_STATE_FAKES_PASSWORD';
export const CLOUD_FAKES_PASSWORD = 'fake-secret';

export interface Cloud {
  /** Target settings appended to exptrack.yaml. */
  yaml: string;
  /** Fails the next statement matching `pattern` (as the warehouse would: an error answer). */
  failNext(pattern: RegExp): void;
  /** Runs `fn` just before the next statement matching `pattern` runs (another run's commit, say). */
  beforeNext(pattern: RegExp, fn: () => Promise<void>): void;
  /** The warehouse's DuckDB, read outside any fake session (committed data only). */
  admin: DuckDBConnection;
  stats(): { commits: number; rollbacks: number; implicitCommits?: number };
  /** Ends every open session, rolling back what each holds open: what the warehouse does, in time, to a killed client's session. */
  endSessions(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCloud(cloud: 'bigquery' | 'snowflake', file: string, name: string): Promise<Cloud> {
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
      async endSessions() {
        for (const id of [...bq.sessions]) {
          bq.sessions.delete(id);
          await answers.endSession(id);
        }
      },
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
    users: { exptrack: CLOUD_FAKES_PASSWORD },
    chunkRows: 500,
    handler: async (q) => ((await take(q.sql)) ? { error: { code: '100038', message: 'injected failure', sqlState: '22018' } } : undefined),
    fallback: (sql, token) => sessions.run(sql, token),
    onSessionEnd: (token) => sessions.end(token),
  });
  await sf.start();
  return {
    yaml: `  ${name}:\n    type: snowflake\n    account: fakeaccount\n    username: exptrack\n    password_env: ${CLOUD_FAKES_PASSWORD_ENV}\n    access_url: ${sf.url}\n`,
    failNext: (p) => void (fail = p),
    beforeNext,
    admin,
    stats: () => ({ ...sessions.stats }),
    async endSessions() {
      for (const token of sessions.open()) await sessions.end(token);
    },
    async stop() {
      await sf.stop();
      sessions.close();
      admin.closeSync();
      instance.closeSync();
    },
  };
}

/** Replaces the warehouse's source tables with what arrived by `asOf`, as a loader appending rows would. */
export async function deliver(demoDb: string, admin: DuckDBConnection, dir: string, asOf: string, since: string): Promise<number> {
  const day = join(dir, `arrived-${asOf.slice(0, 10)}.duckdb`);
  const { lateRows } = await arrivedCopy(demoDb, day, asOf, since);
  await admin.run(`ATTACH '${day}' AS arrived (READ_ONLY)`);
  for (const t of ['exposures', 'web_events', 'app_events']) await admin.run(`CREATE OR REPLACE TABLE main.${t} AS SELECT * FROM arrived.main.${t}`);
  await admin.run('DETACH arrived');
  return lateRows;
}

const rows = async (c: DuckDBConnection, sql: string) => JSON.stringify((await c.runAndReadAll(sql)).getRowsJson());

/** Everything stored for one experiment, in a fixed order. */
export async function stored(c: DuckDBConnection, id: string): Promise<string> {
  return [
    await rows(c, `SELECT * FROM exptrack_state.exptrack_state WHERE experiment_id = '${id}'`),
    await rows(c, `SELECT * FROM exptrack_state.exptrack_${id}_units ORDER BY ALL`),
    await rows(c, `SELECT * FROM exptrack_state.exptrack_${id}_sources ORDER BY ALL`),
    await rows(c, `SELECT * FROM exptrack_state.exptrack_${id}_quality ORDER BY ALL`),
  ].join('\n');
}

