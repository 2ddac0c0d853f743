// The Postgres adapter against the real test server: normalized cells, error kinds and messages,
// timeout and cancel (the server-side statement stops too), and retries of transient failures.
import { createServer, type Server, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { WarehouseError, type Adapter } from '../../src/warehouse/types.js';
import { adminClient, freshDatabase, postgresServer, postgresTarget, TEST_PASSWORD_ENV } from '../helpers/postgres-database.js';

const DATABASE = 'exptrack_adapter';
const ctx = { experiment: 'adapter_test', step: 'metrics' };
let admin: pg.Client;
const open: Adapter[] = [];

async function adapter(settings: Record<string, unknown> = {}): Promise<Adapter> {
  const target = postgresTarget(postgresServer(), DATABASE, settings);
  const a = await getWarehouse('postgres').createAdapter(target.settings, { projectRoot: tmpdir(), targetName: 'pg_test' });
  open.push(a);
  return a;
}

async function failure(p: Promise<unknown>): Promise<WarehouseError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WarehouseError);
  return e as WarehouseError;
}

/** Backends of the test database still running `text` (other than the one asking). */
async function running(text: string): Promise<number> {
  const r = await admin.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2 AND pid <> pg_backend_pid()`,
    [DATABASE, `%${text}%`],
  );
  return r.rows[0].n;
}

beforeAll(async () => {
  const server = postgresServer();
  await freshDatabase(server, DATABASE);
  admin = await adminClient(server, DATABASE);
  await admin.query(`CREATE SCHEMA events;
    CREATE TABLE events.t (id BIGINT, amount NUMERIC(38, 6), at TIMESTAMP, at_tz TIMESTAMPTZ, d DATE, ok BOOLEAN, name TEXT, x DOUBLE PRECISION);
    INSERT INTO events.t VALUES
      (9007199254740993, 123456789012.123456, '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59+02', '2024-02-29', true, 'it''s ?', 0.1),
      (1, 2.5, '1969-12-31 23:00:00', NULL, NULL, false, NULL, -1e300);
    CREATE ROLE reader LOGIN PASSWORD 'reader-secret-pw';
    CREATE ROLE limited LOGIN PASSWORD 'limited-secret-pw' CONNECTION LIMIT 1;
    GRANT USAGE ON SCHEMA events TO limited;
    GRANT SELECT ON events.t TO limited;`);
});

afterAll(async () => {
  for (const a of open) await a.close();
  await admin?.end();
});

describe('cells', () => {
  it('come back as numbers, exact numeric text, ISO UTC timestamps, booleans and null', async () => {
    const a = await adapter({ schema: 'events' });
    const rows = await a.query('SELECT id, amount, at, at_tz, d, ok, name, x, COUNT(*) OVER () AS n FROM t ORDER BY at DESC', ctx);
    expect(rows[0]).toEqual({
      id: '9007199254740993', // beyond 2^53: kept as exact text
      amount: '123456789012.123456', // 18 significant digits: kept as exact text
      at: '2024-02-29T23:59:59.123Z',
      at_tz: '2024-02-29T21:59:59.000Z',
      d: '2024-02-29T00:00:00.000Z',
      ok: true,
      name: "it's ?",
      x: 0.1,
      n: 2,
    });
    expect(rows[1]).toMatchObject({ id: 1, amount: 2.5, at: '1969-12-31T23:00:00.000Z', at_tz: null, d: null, ok: false, name: null, x: -1e300 });
  });

  it("passes SQL through untouched: '?' in literals and comments is not a bind placeholder", async () => {
    const a = await adapter();
    expect(await a.query("-- who? what?\nSELECT 'a?b' AS s, '??' AS t", ctx)).toEqual([{ s: 'a?b', t: '??' }]);
  });

  it('runs sessions in UTC, read-only', async () => {
    const a = await adapter();
    expect(await a.query("SELECT current_setting('TimeZone') AS tz, current_setting('default_transaction_read_only') AS ro", ctx)).toEqual([{ tz: 'UTC', ro: 'on' }]);
    const e = await failure(a.query('CREATE TABLE public.nope (x INT)', ctx));
    expect(e.message).toMatch(/read-only/);
  });
});

describe('errors', () => {
  it('wrong password: authentication, naming target, step and the variable, never the password', async () => {
    process.env.EXPTRACK_TEST_WRONG_PW = 'definitely-wrong-pw-123';
    // Through a relay that counts connections: "not retried" is one connection, whatever the machine's load.
    const relay = await countingRelay();
    try {
      const a = await adapter({ port: relay.port, user: 'reader', password_env: 'EXPTRACK_TEST_WRONG_PW', max_retries: 3 });
      const e = await failure(a.query('SELECT 1', ctx));
      expect(e.kind).toBe('authentication');
      expect(e.message).toContain('pg_test: adapter_test metrics:');
      expect(e.message).toContain('$EXPTRACK_TEST_WRONG_PW');
      expect(e.message).not.toContain('definitely-wrong-pw-123');
      expect(e.message).not.toContain(process.env[TEST_PASSWORD_ENV]!);
      expect(relay.accepted(), 'not retried').toBe(1);
    } finally {
      relay.close();
    }
  });

  it('password variable unset: authentication, naming the variable', async () => {
    delete process.env.EXPTRACK_TEST_UNSET_PW;
    const e = await failure((await adapter({ password_env: 'EXPTRACK_TEST_UNSET_PW' })).query('SELECT 1', ctx));
    expect(e.kind).toBe('authentication');
    expect(e.message).toContain('the environment variable EXPTRACK_TEST_UNSET_PW (password_env) is not set');
  });

  it('missing table: not_found, naming the relation', async () => {
    const e = await failure((await adapter()).query('SELECT * FROM main.no_such_table', ctx));
    expect(e.kind).toBe('not_found');
    expect(e.message).toContain('relation "main.no_such_table" does not exist');
  });

  it('no SELECT grant: permission, saying which privileges are needed', async () => {
    process.env.EXPTRACK_TEST_READER_PW = 'reader-secret-pw';
    const e = await failure((await adapter({ user: 'reader', password_env: 'EXPTRACK_TEST_READER_PW' })).query('SELECT * FROM events.t', ctx));
    expect(e.kind).toBe('permission');
    expect(e.message).toMatch(/permission denied for schema events/);
    expect(e.message).toContain('USAGE on the schema and SELECT on the tables');
    expect(e.message).not.toContain('reader-secret-pw');
  });

  it('bad SQL: syntax, with the position', async () => {
    const e = await failure((await adapter()).query('SELECT FROM WHERE', ctx));
    expect(e.kind).toBe('syntax');
    expect(e.message).toMatch(/syntax error at or near "WHERE" at character \d+/);
  });

  it('nothing listening: connection, after the configured retries', async () => {
    const port = await closedPort();
    const t0 = performance.now();
    const e = await failure((await adapter({ port, max_retries: 2 })).query('SELECT 1', ctx));
    expect(e.kind).toBe('connection');
    expect(e.message).toContain(`cannot reach 127.0.0.1:${port}/${DATABASE}`);
    expect(performance.now() - t0, 'two backoffs: 250 ms + 500 ms').toBeGreaterThanOrEqual(700);
  });
});

describe('expression differences the README warns about', () => {
  it('integer / integer truncates, and round(double precision, n) does not exist', async () => {
    const a = await adapter();
    expect(await a.query('SELECT 7 / 2 AS q, 7 * 1.0 / 2 AS r', ctx)).toEqual([{ q: 3, r: 3.5 }]);
    const e = await failure(a.query('SELECT round(CAST(2.345 AS DOUBLE PRECISION), 2) AS r', ctx));
    expect(e.kind).toBe('syntax');
    expect(e.message).toContain('function round(double precision, integer) does not exist');
  });
});

describe('timeout and cancel', () => {
  it('a query past query_timeout_seconds fails as timeout and stops on the server', async () => {
    const a = await adapter({ query_timeout_seconds: 0.5 });
    // No bound on elapsed time (it flakes on a loaded machine): the kind proves the timer fired, since
    // pg_sleep(20) would otherwise have succeeded.
    const e = await failure(a.query('SELECT pg_sleep(20) AS timeout_probe', ctx));
    expect(e.kind).toBe('timeout');
    expect(e.message).toContain('query_timeout_seconds (0.5 s)');
    // The server ends the statement itself; its backend may take a moment to show it.
    await waitFor(async () => (await running('timeout_probe')) === 0);
  });

  it('the client-side timer cancels too, when the server-side statement_timeout is switched off', async () => {
    const a = await adapter({ query_timeout_seconds: 0.5 });
    const t0 = performance.now();
    const e = await failure(a.query('SET statement_timeout TO 0; SELECT pg_sleep(20) AS client_timer_probe', ctx));
    expect(e.kind).toBe('timeout');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1400); // 0.5 s + the 1 s grace
    await waitFor(async () => (await running('client_timer_probe')) === 0);
  });

  it('aborting the signal cancels the server-side query and throws cancelled, without retrying', async () => {
    const a = await adapter();
    const abort = new AbortController();
    const q = a.query('SELECT pg_sleep(20) AS cancel_probe', { ...ctx, signal: abort.signal });
    await waitFor(async () => (await running('cancel_probe')) === 1);
    abort.abort();
    // 'cancelled' (not a result after 20 s) and the backend gone prove the cancel; no clock bound.
    const e = await failure(q);
    expect(e.kind).toBe('cancelled');
    await waitFor(async () => (await running('cancel_probe')) === 0);
    // The adapter is still usable afterwards.
    expect(await a.query('SELECT 1 AS one', ctx)).toEqual([{ one: 1 }]);
  });

  it('aborting while still connecting stops waiting at once', async () => {
    // A server that accepts the TCP connection and then says nothing, like a hung host.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const a = await adapter({ port: (silent.address() as { port: number }).port, connect_timeout_seconds: 30 });
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 200);
      // 'cancelled' rather than the 30 s connect timeout's 'connection' is what proves it stopped on the abort.
      const e = await failure(a.query('SELECT 1', { ...ctx, signal: abort.signal }));
      expect(e.kind).toBe('cancelled');
      expect(e.message).not.toContain('connect_timeout_seconds');
    } finally {
      silent.close();
    }
  });
});

describe('retries', () => {
  it('too many connections (53300): waits with backoff and succeeds once a slot frees', async () => {
    process.env.EXPTRACK_TEST_LIMITED_PW = 'limited-secret-pw';
    const holder = await adminClient({ ...postgresServer(), user: 'limited', password: 'limited-secret-pw' }, DATABASE);
    const a = await adapter({ user: 'limited', password_env: 'EXPTRACK_TEST_LIMITED_PW', max_retries: 5 });
    setTimeout(() => void holder.end(), 400);
    const t0 = performance.now();
    expect(await a.query('SELECT count(*) AS n FROM events.t', ctx)).toEqual([{ n: 2 }]);
    expect(performance.now() - t0, 'at least one backoff happened').toBeGreaterThanOrEqual(250);
  });

  it('a connection dropped before the query ran is retried', async () => {
    // A TCP relay to the real server that drops its first connection at once.
    const relay = await countingRelay({ dropFirst: true });
    try {
      const a = await adapter({ port: relay.port });
      expect(await a.query('SELECT 42 AS answer', ctx)).toEqual([{ answer: 42 }]);
      expect(relay.accepted()).toBe(2);
    } finally {
      relay.close();
    }
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** A TCP relay to the real server that counts the connections it accepts (and can drop the first). */
async function countingRelay(opts: { dropFirst?: boolean } = {}): Promise<{ port: number; accepted: () => number; close: () => void }> {
  const server = postgresServer();
  let accepted = 0;
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client: Socket) => {
    sockets.add(client);
    if (accepted++ === 0 && opts.dropFirst) return void client.destroy();
    const upstream = connect(server.port, server.host);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return {
    port: (relay.address() as { port: number }).port,
    accepted: () => accepted,
    close: () => {
      for (const s of sockets) s.destroy();
      relay.close();
    },
  };
}

// A deadline for polling the server's view, not a speed assertion: generous, so a loaded machine only waits longer.
async function waitFor(cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}
