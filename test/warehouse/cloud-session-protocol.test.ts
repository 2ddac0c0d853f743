// The BigQuery and Snowflake adapters' sessions (Adapter.session, used by incremental refresh) on the
// wire, through the official SDKs against the fake servers: BigQuery creates the session with the first
// job (createSession), every later job carries the session_id connection property, BEGIN/COMMIT (or
// ROLLBACK) TRANSACTION are statements of it and CALL BQ.ABORT_SESSION() ends it; Snowflake logs in a
// connection of its own, runs BEGIN TRANSACTION / COMMIT (or ROLLBACK) on it and deletes that session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBigquery, type BigqueryClientOptions } from '../../src/warehouse/bigquery/adapter.js';
import { bigqueryConfigSchema } from '../../src/warehouse/bigquery/config.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { snowflakeConfigSchema } from '../../src/warehouse/snowflake/config.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';

const CTX = { experiment: 'checkout_redesign', step: 'state' };
const one = { fields: [{ name: 'n', type: 'INTEGER' }], rows: [[1]] };

describe('BigQuery session', () => {
  const bq = new FakeBigqueryServer({ token: 'tok', answer: (sql) => (sql.includes('boom') ? { fields: [], error: { status: 400, reason: 'invalidQuery', message: 'boom' } } : one) });
  const auth = { getRequestHeaders: async () => new Headers({ authorization: 'Bearer tok' }) } as unknown as BigqueryClientOptions['authClient'];
  beforeAll(() => bq.start());
  afterAll(() => bq.stop());
  const inserts = () => bq.requestsTo('insert').map((r) => (r.body as { configuration: { query: { query: string; createSession?: boolean; connectionProperties?: { key: string; value: string }[] } } }).configuration.query);

  it('creates the session with the first job, joins it with session_id, commits, and ends it', async () => {
    const adapter = await openBigquery(bigqueryConfigSchema.parse({ project: 'p', api_endpoint: bq.url }), 'bq', { authClient: auth, pollMs: 50 });
    const first = bq.requestsTo('insert').length;
    const out = await adapter.session!(CTX, async (run, begin) => {
      expect(await run('SELECT 1 AS n', 'a')).toEqual([{ n: 1 }]);
      await begin();
      await run('SELECT 2 AS n', 'b');
      return 'done';
    });
    expect(out).toBe('done');
    const q = inserts().slice(first);
    expect(q.map((x) => x.query)).toEqual(['SELECT 1 AS n', 'BEGIN TRANSACTION', 'SELECT 2 AS n', 'COMMIT TRANSACTION', 'CALL BQ.ABORT_SESSION()']);
    expect(q[0].createSession).toBe(true);
    expect(q[0].connectionProperties).toBeUndefined();
    const id = [...bq.jobs.values()].find((j) => j.sql === 'SELECT 1 AS n')!.sessionId!;
    expect(id).toMatch(/^fake_session_/);
    for (const x of q.slice(1)) expect(x.connectionProperties).toEqual([{ key: 'session_id', value: id }]);
    expect(bq.sessions.has(id)).toBe(false);
  });

  it('rolls back and ends the session when a statement fails', async () => {
    const adapter = await openBigquery(bigqueryConfigSchema.parse({ project: 'p', api_endpoint: bq.url }), 'bq', { authClient: auth, pollMs: 50 });
    const first = bq.requestsTo('insert').length;
    await expect(
      adapter.session!(CTX, async (run, begin) => {
        await run('SELECT 1 AS n', 'a');
        await begin();
        await run('SELECT boom', 'b');
      }),
    ).rejects.toThrow(/boom/);
    expect(inserts().slice(first).map((x) => x.query)).toEqual(['SELECT 1 AS n', 'BEGIN TRANSACTION', 'SELECT boom', 'ROLLBACK TRANSACTION', 'CALL BQ.ABORT_SESSION()']);
    expect(bq.sessions.size).toBe(0);
  });
});

describe('Snowflake session', () => {
  const ENV = 'EXPTRACK_TEST_SF_SESSION_PASSWORD';
  const sf = new FakeSnowflakeServer({
    users: { exptrack: 'pw' },
    handler: (q) => (q.sql.includes('boom') ? { error: { code: '100038', message: 'boom' } } : { columns: [{ name: 'N', type: 'fixed', precision: 38, scale: 0 }], rows: [['1']] }),
  });
  beforeAll(async () => {
    process.env[ENV] = 'pw';
    await sf.start();
  });
  afterAll(async () => {
    delete process.env[ENV];
    await sf.stop();
  });
  const open = () => getWarehouse('snowflake').createAdapter(snowflakeConfigSchema.parse({ account: 'a', username: 'exptrack', access_url: sf.url, password_env: ENV }), { projectRoot: '.', targetName: 'sf' });
  const logins = () => sf.requests.filter((r) => r.path === '/session/v1/login-request').length;
  const sqlSince = (n: number) => sf.executions.slice(n).map((q) => q.sql).filter((s) => !s.startsWith('ALTER SESSION'));

  it('logs in a connection of its own, commits on it, and deletes that session', async () => {
    const adapter = await open();
    const [l0, e0, d0] = [logins(), sf.executions.length, sf.sessionDeletes];
    await adapter.session!(CTX, async (run, begin) => {
      await run('SELECT 1 AS n', 'a');
      await begin();
      await run('SELECT 2 AS n', 'b');
    });
    expect(logins()).toBe(l0 + 1);
    expect(sqlSince(e0)).toEqual(['SELECT 1 AS n', 'BEGIN TRANSACTION', 'SELECT 2 AS n', 'COMMIT']);
    expect(sf.sessionDeletes).toBe(d0 + 1);
    await adapter.close();
  });

  it('rolls back when a statement fails, and still deletes the session', async () => {
    const adapter = await open();
    const [e0, d0] = [sf.executions.length, sf.sessionDeletes];
    await expect(
      adapter.session!(CTX, async (run, begin) => {
        await begin();
        await run('SELECT boom', 'b');
      }),
    ).rejects.toThrow(/boom/);
    expect(sqlSince(e0)).toEqual(['BEGIN TRANSACTION', 'SELECT boom', 'ROLLBACK']);
    expect(sf.sessionDeletes).toBe(d0 + 1);
    await adapter.close();
  });
});
