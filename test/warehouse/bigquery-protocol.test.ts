// The BigQuery adapter through the unmodified @google-cloud/bigquery SDK against a fake of the REST
// API on 127.0.0.1 (test/fakes/fake-bigquery-server.ts). Proves the protocol handling — job ids,
// retries without a second job, paging, long polls, cancel on timeout and abort, dry runs, labels,
// error kinds — not that BigQuery accepts the SQL (see bigquery-sql.test.ts and the live suite).
import { BigQuery } from '@google-cloud/bigquery';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBigquery, type BigqueryClientOptions } from '../../src/warehouse/bigquery/adapter.js';
import { bigqueryConfigSchema, type BigqueryConfig } from '../../src/warehouse/bigquery/config.js';
import { WarehouseError, type Adapter } from '../../src/warehouse/types.js';
import { FakeBigqueryServer, type FakeAnswer } from '../fakes/fake-bigquery-server.js';

const TOKEN = 'ya29.fake-access-token-s3cr3t';
const CTX = { experiment: 'Checkout Redesign!', step: 'metrics' };

function answer(sql: string): FakeAnswer | Promise<FakeAnswer> {
  // The insert itself is slow to answer: the job exists only after the client may have given up.
  if (sql.includes('late insert')) return new Promise((r) => setTimeout(() => r({ fields: [{ name: 'n', type: 'INTEGER' }], rows: [[1]], runMs: 60_000 }), 600));
  if (sql.includes('paged')) {
    return { fields: [{ name: 'n', type: 'INTEGER' }], rows: Array.from({ length: 25 }, (_, i) => [i]), bytesProcessed: 100 };
  }
  if (sql.includes('types')) {
    return {
      fields: [
        { name: 'small', type: 'INTEGER' },
        { name: 'huge', type: 'INTEGER' },
        { name: 'num', type: 'NUMERIC' },
        { name: 'long_num', type: 'NUMERIC' },
        { name: 'big', type: 'BIGNUMERIC' },
        { name: 'f', type: 'FLOAT' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'b', type: 'BOOLEAN' },
        { name: 's', type: 'STRING' },
        { name: 'nothing', type: 'STRING' },
      ],
      rows: [[42, '9007199254740993', '1234.5', '12345678901234567.123456789', '-0.000000001', 0.25, '2026-10-04T12:34:56.789Z', true, 'x', null]],
    };
  }
  if (sql.includes('slow')) return { fields: [{ name: 'n', type: 'INTEGER' }], rows: [[1]], runMs: 60_000 };
  if (sql.includes('expensive')) return { fields: [{ name: 'n', type: 'INTEGER' }], rows: [[1]], bytesProcessed: 5_000_000_000 };
  if (sql.includes('missing')) return { fields: [], error: { status: 404, reason: 'notFound', message: 'Not found: Table test-project:main.nope was not found in location US' } };
  if (sql.includes('denied')) return { fields: [], error: { status: 403, reason: 'accessDenied', message: 'Access Denied: Table test-project:main.secret: User does not have permission to query table test-project:main.secret.' } };
  if (sql.includes('quota')) return { fields: [], error: { status: 403, reason: 'quotaExceeded', message: 'Quota exceeded: Your project exceeded quota for free query bytes scanned.' } };
  return { fields: [{ name: 'n', type: 'INTEGER' }], rows: [[1]], bytesProcessed: 1234 };
}

const fake = new FakeBigqueryServer({ answer, token: TOKEN });
const adapters: Adapter[] = [];

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.close();
});

/** The SDK's auth client contract, answering with a fixed token: no credentials, no network. */
const fakeAuthClient = (token: string) =>
  ({ getRequestHeaders: async () => new Headers({ authorization: `Bearer ${token}` }) }) as unknown as BigqueryClientOptions['authClient'];

async function open(settings: Partial<BigqueryConfig> = {}, opts: BigqueryClientOptions = {}): Promise<Adapter> {
  const config = bigqueryConfigSchema.parse({ project: 'test-project', location: 'US', api_endpoint: fake.url, ...settings });
  const a = await openBigquery(config, 'bq-test', { authClient: fakeAuthClient(TOKEN), pageSize: 10, pollMs: 50, retryBaseMs: 5, maxBackoffMs: 20, ...opts });
  adapters.push(a);
  return a;
}

async function failure(p: Promise<unknown>): Promise<WarehouseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WarehouseError);
    return e as WarehouseError;
  }
  throw new Error('expected a failure');
}

describe('BigQuery adapter over the REST protocol', () => {
  it('reads every page of a result', async () => {
    const a = await open();
    const before = fake.requestsTo('results').length;
    const rows = await a.query('SELECT paged', CTX);
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const pages = fake.requestsTo('results').slice(before);
    expect(pages.map((p) => p.query.pageToken ?? null)).toEqual([null, 'p10', 'p20']);
    expect(pages.every((p) => p.query.maxResults === '10')).toBe(true);
  });

  it('normalizes INT64, NUMERIC, BIGNUMERIC, FLOAT64, TIMESTAMP, BOOL and NULL without precision loss', async () => {
    const [row] = await (await open()).query('SELECT types', CTX);
    expect(row).toEqual({
      small: 42,
      huge: '9007199254740993',
      num: 1234.5,
      long_num: '12345678901234567.123456789',
      big: -0.000000001,
      f: 0.25,
      ts: '2026-10-04T12:34:56.789Z',
      b: true,
      s: 'x',
      nothing: null,
    });
  });

  it('retries 503 on insert and 429 on results, and the job runs once', async () => {
    const a = await open();
    const executions = fake.executions;
    const inserts = fake.requestsTo('insert').length;
    fake.inject({ endpoint: 'insert', status: 503 }, { endpoint: 'results', status: 429 }, { endpoint: 'results', status: 503 });
    expect(await a.query('SELECT 1', CTX)).toEqual([{ n: 1 }]);
    expect(fake.executions - executions).toBe(1);
    const tries = fake.requestsTo('insert').slice(inserts);
    expect(tries).toHaveLength(2);
    expect(new Set(tries.map((t) => (t.body?.jobReference as { jobId: string }).jobId)).size).toBe(1);
  });

  it.each([
    ['a lost response (503 after the job was created)', { endpoint: 'insert' as const, status: 503, afterHandling: true }],
    ['a dropped connection after the job was created', { endpoint: 'insert' as const, dropConnection: true, afterHandling: true }],
  ])('does not run a job twice after %s: the retry gets 409 and reads that job', async (_name, injection) => {
    const a = await open();
    const executions = fake.executions;
    const gets = fake.requestsTo('get').length;
    fake.inject(injection);
    expect(await a.query('SELECT 1', CTX)).toEqual([{ n: 1 }]);
    expect(fake.executions - executions).toBe(1);
    expect(fake.requestsTo('get').length - gets).toBe(1);
  });

  it('gives up after capped retries with a connection error, having run nothing', async () => {
    const a = await open({}, { maxAttempts: 3 });
    const executions = fake.executions;
    fake.inject({ endpoint: 'insert', status: 503 }, { endpoint: 'insert', status: 503 }, { endpoint: 'insert', status: 503 });
    const e = await failure(a.query('SELECT 1', CTX));
    expect(e.kind).toBe('connection');
    expect(fake.executions).toBe(executions);
  });

  it('cancels a job whose results stay unreachable after the retries', async () => {
    const a = await open({}, { maxAttempts: 2 });
    const cancels = fake.cancels.length;
    fake.inject({ endpoint: 'results', status: 503 }, { endpoint: 'results', status: 502 });
    const e = await failure(a.query('SELECT unreachable', CTX));
    expect(e.kind).toBe('connection');
    expect(fake.cancels.slice(cancels).map((id) => fake.jobs.get(id)?.sql)).toEqual(['SELECT unreachable']);
  });

  it('cancels the job when the per-query timeout passes', async () => {
    const a = await open({ query_timeout_seconds: 0.3 });
    const e = await failure(a.query('SELECT slow', CTX));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/query_timeout_seconds/);
    const job = [...fake.jobs.values()].find((j) => j.sql === 'SELECT slow' && j.labels.exptrack_step === 'metrics' && fake.cancels.includes(j.id));
    expect(job, 'cancel received for the slow job').toBeDefined();
    expect(fake.requestsTo('insert').at(-1)?.body?.configuration).toMatchObject({ jobTimeoutMs: '300' });
  });

  it('cancels the job when the signal aborts (Ctrl-C)', async () => {
    const a = await open();
    const cancels = fake.cancels.length;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const e = await failure(a.query('SELECT slow abort', { ...CTX, signal: ac.signal }));
    expect(e.kind).toBe('cancelled');
    expect(fake.cancels.length).toBe(cancels + 1);
    expect(fake.jobs.get(fake.cancels.at(-1)!)?.sql).toBe('SELECT slow abort');
  });

  it('an abort while the job insert is still in flight still cancels the job the insert creates', async () => {
    const a = await open();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const e = await failure(a.query('SELECT late insert', { ...CTX, signal: ac.signal }));
    expect(e.kind).toBe('cancelled');
    const job = [...fake.jobs.values()].find((j) => j.sql === 'SELECT late insert');
    expect(job, 'the insert did create the job').toBeDefined();
    expect(fake.cancels).toContain(job!.id);
  });

  it('reports bad credentials as an authentication error without the secret', async () => {
    const wrong = 'ya29.wrong-token-do-not-print';
    const a = await open({}, { authClient: fakeAuthClient(wrong) });
    const e = await failure(a.query('SELECT 1', CTX));
    expect(e.kind).toBe('authentication');
    expect(e.message).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/);
    expect(e.message).toContain('bq-test');
    expect(e.message).not.toContain(wrong);
    expect(e.message).not.toContain('wrong-token');
    expect(fake.requests.at(-1)?.authorization).toBe(`Bearer ${wrong}`);
  });

  it('estimates bytes with a dry run that runs nothing', async () => {
    const a = await open();
    const executions = fake.executions;
    expect(await a.estimate!('SELECT cheap', CTX)).toEqual({ bytes: 1234 });
    expect(await a.estimate!('SELECT expensive', CTX)).toEqual({ bytes: 5_000_000_000 });
    expect(fake.executions).toBe(executions);
    expect(fake.requestsTo('insert').at(-1)?.body?.configuration).toMatchObject({ dryRun: true });
  });

  it('stops a query over maximum_bytes_billed with a bytes_limit error that says how to raise it', async () => {
    const a = await open({ maximum_bytes_billed: 1_000_000 });
    const e = await failure(a.query('SELECT expensive', CTX));
    expect(e.kind).toBe('bytes_limit');
    expect(e.message).toContain('maximum_bytes_billed = 1000000 bytes');
    expect(e.message).toMatch(/Raise maximum_bytes_billed in target 'bq-test'/);
  });

  it('sends labels, the bytes limit, the default dataset and a job timeout with every job', async () => {
    const a = await open({ labels: { team: 'growth' }, maximum_bytes_billed: 10_000_000, dataset: 'analytics' });
    await a.query('SELECT labelled', CTX);
    const body = fake.requestsTo('insert').at(-1)!.body as { jobReference: { jobId: string; location: string }; configuration: Record<string, unknown> };
    expect(body.configuration.labels).toEqual({ team: 'growth', exptrack_experiment: 'checkout_redesign_', exptrack_step: 'metrics' });
    expect(body.configuration.query).toMatchObject({ query: 'SELECT labelled', useLegacySql: false, maximumBytesBilled: '10000000', defaultDataset: { projectId: 'test-project', datasetId: 'analytics' } });
    expect(body.configuration.jobTimeoutMs).toBe('300000');
    expect(body.jobReference.location).toBe('US');
    expect(body.jobReference.jobId).toMatch(/^exptrack_checkout_redesign__metrics_[0-9a-f]{32}$/);
  });

  it.each([
    ['SELECT missing', 'not_found', /main\.nope/],
    ['SELECT denied', 'permission', /bigquery\.jobs\.create/],
    ['SELECT quota', 'quota', /Quota exceeded/],
  ])('maps %s to %s', async (sql, kind, text) => {
    const e = await failure((await open()).query(sql, CTX));
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(text);
    expect(e.message).toContain('bq-test: Checkout Redesign! metrics:');
  });

  it('speaks jobs.query with a requestId too (the SDK’s own fast path), so the fake is a fair stand-in', async () => {
    const sdk = new BigQuery({ projectId: 'test-project', apiEndpoint: fake.url, authClient: fakeAuthClient(TOKEN), autoRetry: false });
    const before = fake.requestsTo('query').length;
    const [rows] = await sdk.query({ query: 'SELECT paged', maxResults: 10 } as never);
    expect((rows as { n: number }[]).map((r) => r.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const q = fake.requestsTo('query').slice(before);
    expect(q).toHaveLength(1);
    expect(q[0].body?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
