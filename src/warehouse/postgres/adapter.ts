import type { Knex } from 'knex';
import { WarehouseError, type Adapter, type QueryContext, type Row } from '../types.js';
import { connectTimeoutError } from '../connect-timeout.js';
import type { PostgresConfig } from './config.js';
import { postgresDialect } from './dialect.js';
import { cellTypes } from './postgres-cells.js';
import { classifyFailure, NO_PASSWORD, type FailureContext } from './postgres-errors.js';

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4000;
/** After the server-side timeout, how long the client waits before cancelling on its own. */
const CLIENT_TIMEOUT_GRACE_MS = 1000;
/** How long a cancelled query may take to give its connection back before it is dropped. */
const CANCEL_WAIT_MS = 5000;

/** Capped exponential backoff: 250 ms, 500 ms, 1 s, 2 s, 4 s, 4 s, ... */
export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

/** The pg client knex's pool hands out; its query() is used directly. */
/** A failed attempt, with whether the adapter itself stopped the query (which decides timeout vs cancelled). */
class AttemptError extends Error {
  constructor(
    readonly failure: unknown,
    readonly stoppedBy: 'timeout' | 'cancelled' | undefined,
  ) {
    super('attempt failed');
  }
}

type PgClient = { processID?: number; __knex__disposed?: string; query(sql: string): Promise<{ rows: Row[] }> };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Session settings every connection gets before its first query. */
function sessionSql(config: PostgresConfig): string {
  const statements = [
    // Timestamp literals and TIMESTAMP columns are UTC wall clock; TIMESTAMPTZ must agree.
    "SET TimeZone TO 'UTC'",
    // Literals escape only quotes, by doubling; backslashes must stay literal.
    'SET standard_conforming_strings TO on',
    // Every query only reads; a read-only session makes that a guarantee, not a promise.
    'SET default_transaction_read_only TO on',
    // Compiled SQL filters per-unit CTEs on aggregates (one variant per unit), which the planner
    // estimates at one row; a nested loop then re-runs a whole per-unit aggregate once per exposed
    // unit. Every join in compiled SQL is an equality on the unit id, which a hash join does in one pass.
    'SET enable_nestloop TO off',
    `SET statement_timeout TO ${Math.ceil(config.query_timeout_seconds * 1000)}`,
  ];
  if (config.schema) statements.push(`SET search_path TO ${postgresDialect.quoteIdentifier(config.schema)}`);
  return statements.join('; ');
}

export async function openPostgres(config: PostgresConfig, targetName: string, env: NodeJS.ProcessEnv = process.env): Promise<Adapter> {
  const { default: knex } = await import('knex');
  const password = env[config.password_env];
  const where = `${config.host}:${config.port}/${config.database} as ${config.user}`;
  const failure: Omit<FailureContext, 'stoppedBy'> = {
    where,
    passwordEnv: config.password_env,
    timeoutSeconds: config.query_timeout_seconds,
    secret: password || undefined,
  };
  const db: Knex = knex({
    client: 'pg',
    connection: {
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      // A function, so the driver never falls back to $PGPASSWORD when password_env names another
      // variable, and asks for the password only when the server wants one (trust and peer need none).
      password: () => {
        if (password === undefined) throw Object.assign(new Error('the server asks for a password'), { code: NO_PASSWORD });
        return password;
      },
      application_name: config.application_name,
      ssl: config.ssl === 'disable' ? false : { rejectUnauthorized: config.ssl === 'verify-full' },
      connectionTimeoutMillis: Math.ceil(config.connect_timeout_seconds * 1000),
      types: cellTypes,
    } as unknown as Knex.PgConnectionConfig,
    pool: {
      min: 0,
      max: 2,
      afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.query(sessionSql(config), (err) => done(err, conn));
      },
    },
    acquireConnectionTimeout: Math.ceil(config.connect_timeout_seconds * 1000),
    // knex would print driver errors (with stacks) to the console; they reach the user as WarehouseErrors instead.
    log: { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined },
  });

  const fail = (e: unknown, ctx: QueryContext, stoppedBy?: 'timeout' | 'cancelled') => {
    const c = classifyFailure(e, { ...failure, stoppedBy });
    return { ...c, error: new WarehouseError(c.message, { target: targetName, experiment: ctx.experiment, step: ctx.step }, c.kind) };
  };

  let everConnected = false;

  /** A pooled connection; Ctrl-C while connecting stops waiting at once (the connection, once made, goes back to the pool). */
  async function acquire(signal: AbortSignal | undefined): Promise<PgClient> {
    const acquiring = db.client.acquireConnection() as Promise<PgClient>;
    if (!signal) return acquiring;
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new AttemptError(new Error('cancelled'), 'cancelled'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([acquiring, aborted]);
    } catch (e) {
      if (e instanceof AttemptError) acquiring.then((c) => db.client.releaseConnection(c), () => undefined);
      throw e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** One attempt: a connection from the pool, the query, and a cancel of the backend on timeout or abort. */
  async function attempt(sql: string, ctx: QueryContext): Promise<Row[]> {
    let conn: PgClient;
    try {
      conn = await acquire(ctx.signal);
      everConnected = true;
    } catch (e) {
      // Never connected and the connect timed out: retrying would multiply connect_timeout_seconds.
      if (!everConnected && !(e instanceof AttemptError) && /timeout/i.test(e instanceof Error ? e.message : String(e))) {
        throw connectTimeoutError(config.connect_timeout_seconds, `${config.host}:${config.port}`, targetName);
      }
      throw e;
    }
    let stoppedBy: 'timeout' | 'cancelled' | undefined;
    let cancelling: Promise<unknown> | undefined;
    let onStop = () => {};
    const stopped = new Promise<void>((resolve) => (onStop = resolve));
    const stop = (why: 'timeout' | 'cancelled') => {
      if (stoppedBy) return;
      stoppedBy = why;
      // pg_cancel_backend from a second connection: the server stops the statement, not just the client.
      cancelling = db.client.cancelQuery(conn).catch(() => undefined);
      onStop();
    };
    const onAbort = () => stop('cancelled');
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    // The server's statement_timeout normally fires first; this covers servers or poolers that ignore it.
    const timer = setTimeout(() => stop('timeout'), config.query_timeout_seconds * 1000 + CLIENT_TIMEOUT_GRACE_MS);
    let abandoned = false;
    try {
      // The driver's own query call, not knex.raw: knex would read every '?' in the SQL (in a string
      // literal or a comment) as a bind placeholder and prefix errors with the whole SQL text.
      const running = conn.query(sql);
      // A cancelled query that never answers must not hold the caller: give up on it after a while.
      const giveUp = stopped
        .then(() => new Promise((resolve) => setTimeout(resolve, CANCEL_WAIT_MS).unref()))
        .then(() => {
          abandoned = true;
          throw new Error('the query did not stop after it was cancelled');
        });
      giveUp.catch(() => undefined); // it may lose the race below; its rejection is then nobody's
      const result = await Promise.race([running, giveUp]);
      if (stoppedBy) throw new Error(stoppedBy);
      return result.rows;
    } catch (e) {
      throw new AttemptError(e, stoppedBy);
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      await cancelling;
      // knex's pool destroys a connection marked disposed instead of handing it out again.
      if (abandoned) conn.__knex__disposed = 'a cancelled query did not stop';
      await db.client.releaseConnection(conn);
    }
  }

  return {
    async query(sql, ctx) {
      for (let n = 0; ; n++) {
        if (ctx.signal?.aborted) throw fail(new Error('cancelled'), ctx, 'cancelled').error;
        try {
          return await attempt(sql, ctx);
        } catch (e) {
          if (e instanceof WarehouseError) throw e;
          const f = e instanceof AttemptError ? fail(e.failure, ctx, e.stoppedBy) : fail(e, ctx);
          // Queries only read, so a re-run is safe; a timeout or cancel is never retried.
          if (!f.transient || n >= config.max_retries || ctx.signal?.aborted) throw f.error;
          await sleep(backoffMs(n), ctx.signal);
        }
      }
    },
    async transaction(ctx, fn) {
      // One pooled connection for the whole refresh: the session is read-only by default, so only
      // this explicit READ WRITE transaction can write, and a crash before COMMIT leaves nothing.
      const conn = await acquire(ctx.signal);
      const run = async (sql: string, step: string): Promise<Row[]> => {
        if (ctx.signal?.aborted) throw fail(new Error('cancelled'), { ...ctx, step }, 'cancelled').error;
        try {
          return (await conn.query(sql)).rows;
        } catch (e) {
          throw fail(e, { ...ctx, step }).error;
        }
      };
      try {
        await run('BEGIN READ WRITE', 'state-begin');
        const out = await fn(run);
        await run('COMMIT', 'state-commit');
        return out;
      } catch (e) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        await db.client.releaseConnection(conn);
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
