// Protocol tests: exptrack's Snowflake adapter through the unmodified snowflake-sdk against a FAKE
// Snowflake REST server on 127.0.0.1. They prove the adapter's use of the protocol (login, requestId
// resends, rowtype metadata, chunks, abort-request, QUERY_TAG, error codes), not Snowflake's SQL.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSnowflakeServer, type FakeQuery } from '../fakes/fake-snowflake-server.js';
import type { FakeResult } from '../fakes/fake-snowflake-duckdb.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { snowflakeConfigSchema } from '../../src/warehouse/snowflake/config.js';
import { WarehouseError, type Adapter } from '../../src/warehouse/types.js';

const PASSWORD = 'fake-Pa55word-never-printed';
const PASSWORD_ENV = 'EXPTRACK_TEST_FAKE_SNOWFLAKE_PASSWORD';
const KEY_PASSPHRASE = 'fake-key-passphrase-never-printed';
const KEY_ENV = { path: 'EXPTRACK_TEST_FAKE_SNOWFLAKE_KEY_PATH', passphrase: 'EXPTRACK_TEST_FAKE_SNOWFLAKE_KEY_PASSPHRASE' };

/** An encrypted PKCS#8 key file for the key-pair login, and its public key for the fake. */
function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const path = join(mkdtempSync(join(tmpdir(), 'exptrack-sf-key-')), 'rsa_key.p8');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: KEY_PASSPHRASE }));
  return { publicKey, path };
}
const KEYS = keyPair();
const OTHER_KEYS = keyPair();

const TYPED: FakeResult = {
  columns: [
    { name: 'BIG', type: 'fixed', precision: 38, scale: 0 },
    { name: 'SMALL', type: 'fixed', precision: 38, scale: 0 },
    { name: 'EXACT', type: 'fixed', precision: 38, scale: 6 },
    { name: 'LONG_DECIMAL', type: 'fixed', precision: 38, scale: 6 },
    { name: 'RATIO', type: 'real' },
    { name: 'NAME', type: 'text' },
    { name: 'FLAG', type: 'boolean' },
    { name: 'AT_NTZ', type: 'timestamp_ntz', scale: 9 },
    { name: 'AT_TZ', type: 'timestamp_tz', scale: 9 },
    { name: 'NOTHING', type: 'fixed', precision: 38, scale: 0 },
  ],
  rows: [['9223372036854775808', '42', '1.500000', '123456789012.123456', '0.1', "it's", '1', '1793491200.123000000', '1793491200.000000000 1560', null]],
};

function rangeResult(n: number): FakeResult {
  return { columns: [{ name: 'I', type: 'fixed', precision: 38, scale: 0 }], rows: Array.from({ length: n }, (_, i) => [String(i)]) };
}

describe('snowflake adapter against a fake Snowflake (protocol)', () => {
  const fake = new FakeSnowflakeServer({
    users: { exptrack: PASSWORD },
    publicKeys: { exptrack_keyed: KEYS.publicKey },
    chunkRows: 10,
    handler: (q: FakeQuery) => {
      if (q.sql.includes('typed')) return TYPED;
      if (q.sql.includes('range35')) return rangeResult(35);
      if (q.sql.includes('hang')) return { hang: true };
      if (q.sql.includes('long_running')) return { slow: rangeResult(3), polls: 2 };
      if (q.sql.includes('missing_table')) return { error: { code: '002003', message: "SQL compilation error:\nObject 'MAIN.MISSING_TABLE' does not exist or not authorized.", sqlState: '02000' } };
      if (q.sql.includes('forbidden')) return { error: { code: '003001', message: 'SQL access control error:\nInsufficient privileges to operate on table', sqlState: '42501' } };
      return rangeResult(1);
    },
  });
  let adapter: Adapter;
  const config = (over: Record<string, unknown> = {}) =>
    snowflakeConfigSchema.parse({ account: 'fakeaccount', username: 'exptrack', warehouse: 'ANALYTICS_XS', access_url: fake.url, password_env: PASSWORD_ENV, ...over });
  const open = (over: Record<string, unknown> = {}) => getWarehouse('snowflake').createAdapter(config(over), { projectRoot: '.', targetName: 'sf_test' });
  const ctx = (step: string, signal?: AbortSignal) => ({ experiment: 'checkout_redesign', step, signal });

  beforeAll(async () => {
    process.env[PASSWORD_ENV] = PASSWORD;
    await fake.start();
    adapter = await open();
  });
  afterAll(async () => {
    await adapter?.close();
    await fake.stop();
    delete process.env[PASSWORD_ENV];
  });

  it('sets up the session (UTC, case-insensitive quoted names) and tags every query with experiment and step', async () => {
    const [params] = [...fake.sessionParameters.values()];
    expect(params).toMatchObject({ TIMEZONE: 'UTC', QUOTED_IDENTIFIERS_IGNORE_CASE: 'TRUE', STATEMENT_TIMEOUT_IN_SECONDS: '300' });
    await adapter.query('select 1 -- tag check', ctx('metrics'));
    const q = fake.executionsOf('tag check')[0];
    expect(JSON.parse(String(q.parameters.QUERY_TAG))).toEqual({ tool: 'exptrack', experiment: 'checkout_redesign', step: 'metrics' });
    expect(q.parameters.STATEMENT_TIMEOUT_IN_SECONDS).toBe(300);
  });

  it('returns fixed-point NUMBER without precision loss, timestamps as ISO UTC, lower-case column names', async () => {
    const [row] = await adapter.query('select typed', ctx('exposures'));
    expect(row).toEqual({
      big: '9223372036854775808', // 2^63: beyond 2^53, stays exact text
      small: 42,
      exact: 1.5,
      long_decimal: '123456789012.123456', // 18 significant digits: a double would round it
      ratio: 0.1,
      name: "it's",
      flag: true,
      at_ntz: '2026-11-01T00:00:00.123Z',
      at_tz: '2026-11-01T00:00:00.000Z',
      nothing: null,
    });
  });

  it('reads results that come in several chunks, in order', async () => {
    const before = fake.requests.filter((r) => r.path.startsWith('/chunks/')).length;
    const rows = await adapter.query('select range35', ctx('metrics'));
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 35 }, (_, i) => i));
    expect(fake.requests.filter((r) => r.path.startsWith('/chunks/')).length - before).toBe(3);
  });

  it('follows a long-running query: "in progress" answers, then polls for the result', async () => {
    const rows = await adapter.query('select long_running', ctx('metrics'));
    expect(rows.map((r) => r.i)).toEqual([0, 1, 2]);
    expect(fake.requests.filter((r) => /^\/queries\/[^/]+\/result$/.test(r.path))).toHaveLength(3);
  });

  it('retries a chunk download that failed with 503', async () => {
    fake.faults.push({ path: '/chunks/', status: 503 });
    const before = fake.requests.filter((r) => r.path.startsWith('/chunks/')).length;
    const rows = await adapter.query('select range35 -- chunk retry', ctx('metrics'));
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 35 }, (_, i) => i));
    expect(fake.requests.filter((r) => r.path.startsWith('/chunks/')).length - before).toBe(4);
  }, 30_000);

  it('retries a login that failed with 503', async () => {
    fake.faults.push({ path: '/session/v1/login-request', status: 503 });
    const before = fake.requests.filter((r) => r.path === '/session/v1/login-request').length;
    const again = await open();
    await again.close();
    expect(fake.requests.filter((r) => r.path === '/session/v1/login-request').length - before).toBe(2);
  }, 30_000);

  for (const fault of [
    { name: '429 before the query ran', status: 429 },
    { name: '503 after the query ran (response lost)', status: 503, afterExecute: true },
    { name: 'a dropped connection after the query ran', drop: true, afterExecute: true },
  ]) {
    it(`retries ${fault.name} with the same requestId, and the query runs once`, async () => {
      const marker = `retry ${fault.name}`;
      fake.faults.push({ path: '/queries/v1/query-request', ...fault });
      const rows = await adapter.query(`select 1 -- ${marker}`, ctx('sources'));
      expect(rows).toEqual([{ i: 0 }]);
      const sent = fake.requests.filter((r) => r.path === '/queries/v1/query-request' && String((r.body as { sqlText?: string })?.sqlText).includes(marker));
      expect(sent.length).toBe(2);
      expect(new Set(sent.map((r) => r.search.get('requestId'))).size).toBe(1);
      expect(sent[1].search.get('retryCount')).toBe('1');
      expect(fake.executionsOf(marker)).toHaveLength(1);
    }, 30_000);
  }

  it('cancels the query on Snowflake when the per-query timeout passes, then fails with kind timeout', async () => {
    const short = await open({ query_timeout_seconds: 1 });
    try {
      const err = await short.query('select hang -- timeout', ctx('metrics')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect((err as WarehouseError).kind).toBe('timeout');
      expect((err as WarehouseError).message).toMatch(/^sf_test: checkout_redesign metrics: timed out after 1 s/);
      const q = fake.executionsOf('timeout')[0];
      expect(q.parameters.STATEMENT_TIMEOUT_IN_SECONDS).toBe(1);
      expect(fake.aborts.some((a) => a.requestId === q.requestId)).toBe(true);
    } finally {
      await short.close();
    }
  });

  it('cancels the query on Snowflake when the signal aborts (Ctrl-C), then fails with kind cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const err = await adapter.query('select hang -- ctrl-c', ctx('exposures', controller.signal)).catch((e: unknown) => e);
    expect((err as WarehouseError).kind).toBe('cancelled');
    const q = fake.executionsOf('ctrl-c')[0];
    expect(fake.aborts.some((a) => a.requestId === q.requestId)).toBe(true);
  });

  it('maps bad credentials to an authentication error that names the target and never the password', async () => {
    process.env[PASSWORD_ENV] = `${PASSWORD}-wrong`;
    try {
      const err = await open().catch((e: unknown) => e);
      expect((err as WarehouseError).kind).toBe('authentication');
      expect((err as WarehouseError).message).toMatch(/^sf_test: - connect: authentication failed/);
      expect((err as WarehouseError).message).toContain('390100');
      expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain(PASSWORD);
    } finally {
      process.env[PASSWORD_ENV] = PASSWORD;
    }
  });

  it('logs in with a key pair: the SDK signs a JWT with the encrypted key the environment points to', async () => {
    const keyConfig = { username: 'exptrack_keyed', authenticator: 'key_pair', private_key_path_env: KEY_ENV.path, private_key_passphrase_env: KEY_ENV.passphrase };
    process.env[KEY_ENV.passphrase] = KEY_PASSPHRASE;
    try {
      process.env[KEY_ENV.path] = KEYS.path;
      const keyed = await open(keyConfig);
      expect(await keyed.query('select 1 -- key pair', ctx('exposures'))).toEqual([{ i: 0 }]);
      await keyed.close();
      process.env[KEY_ENV.path] = OTHER_KEYS.path; // a key the user is not registered with
      const err = (await open(keyConfig).catch((e: unknown) => e)) as WarehouseError;
      expect(err.kind).toBe('authentication');
      expect(JSON.stringify(err) + String(err.stack)).not.toContain(KEY_PASSPHRASE);
    } finally {
      delete process.env[KEY_ENV.path];
      delete process.env[KEY_ENV.passphrase];
    }
  });

  it('refuses to connect without the password variable, naming it', async () => {
    const err = await open({ password_env: 'EXPTRACK_TEST_UNSET_VARIABLE' }).catch((e: unknown) => e);
    expect((err as WarehouseError).kind).toBe('config');
    expect((err as WarehouseError).message).toContain('EXPTRACK_TEST_UNSET_VARIABLE');
  });

  it.each([
    ['missing_table', 'not_found', /does not exist or not authorized.*002003/],
    ['forbidden', 'permission', /permission denied.*003001/],
  ])('maps Snowflake error %s to kind %s, naming experiment and step', async (sql, kind, message) => {
    const err = (await adapter.query(`select * from ${sql}`, ctx('metrics')).catch((e: unknown) => e)) as WarehouseError;
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(/^sf_test: checkout_redesign metrics: /);
    expect(err.message).toMatch(message);
  });

  it('deletes the session on close', async () => {
    const extra = await open();
    const before = fake.sessionDeletes;
    await extra.close();
    expect(fake.sessionDeletes).toBe(before + 1);
  });
});
