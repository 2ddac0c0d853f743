import { randomUUID } from 'node:crypto';
import snowflakeSdk from 'snowflake-sdk';
import { connectWithin } from '../connect-timeout.js';
import { normalizeNumericText } from '../normalize.js';
import { WarehouseError, type Adapter, type Cell, type QueryContext, type Row } from '../types.js';
import type { SnowflakeConfig } from './config.js';
import { toWarehouseError } from './snowflake-errors.js';

type SdkColumn = { getName(): string; getType(): string };

/**
 * Session settings every exptrack query relies on:
 * - TIMEZONE UTC: the compiled timestamp literals are UTC wall-clock TIMESTAMP_NTZ values, and
 *   TIMESTAMP_TZ/LTZ columns must compare with them in UTC (as on DuckDB).
 * - QUOTED_IDENTIFIERS_IGNORE_CASE: compiled SQL quotes model names and some aliases in lower case
 *   and leaves others bare; with this, "web_events" and web_events both resolve to WEB_EVENTS.
 * - STATEMENT_TIMEOUT_IN_SECONDS: also sent with each statement; set for the session too, so the
 *   limit holds even where a statement-level parameter were not honoured.
 */
function sessionSetup(timeoutSeconds: number): string {
  return `ALTER SESSION SET TIMEZONE = 'UTC', QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE, STATEMENT_TIMEOUT_IN_SECONDS = ${timeoutSeconds}`;
}

/** QUERY_TAG: experiment and step, so the query history and cost attribution say who ran what. */
export function queryTag(ctx: Pick<QueryContext, 'experiment' | 'step'>): string {
  return JSON.stringify({ tool: 'exptrack', experiment: ctx.experiment, step: ctx.step }).slice(0, 2000);
}

function normalizeCell(value: unknown, type: string): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    // fetchAsString: ['Number'] hands fixed-point NUMBER over as its exact text.
    if (type === 'fixed') return normalizeNumericText(value);
    // FLOAT text; Snowflake spells infinities 'inf' and '-inf', which Number() does not read.
    if (type === 'real') return /^-?inf$/i.test(value) ? (value.startsWith('-') ? -Infinity : Infinity) : Number(value);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function rowsOf(columns: SdkColumn[], rows: unknown[][]): Row[] {
  // Snowflake reports unquoted (and, with QUOTED_IDENTIFIERS_IGNORE_CASE, all) names in upper case;
  // every alias exptrack compiles is lower case, which the analysis reads.
  const names = columns.map((c) => c.getName().toLowerCase());
  const types = columns.map((c) => c.getType());
  return rows.map((r) => {
    const row: Row = {};
    names.forEach((n, i) => (row[n] = normalizeCell(r[i], types[i])));
    return row;
  });
}

function credentials(config: SnowflakeConfig, env: NodeJS.ProcessEnv, where: { target: string; experiment: string; step: string }) {
  if (config.authenticator === 'key_pair') {
    const privateKeyPath = env[config.private_key_path_env];
    if (!privateKeyPath) throw new WarehouseError(`key-pair authentication needs the private key path in environment variable ${config.private_key_path_env}`, where, 'config');
    const privateKeyPass = env[config.private_key_passphrase_env] || undefined;
    return { options: { authenticator: 'SNOWFLAKE_JWT', privateKeyPath, privateKeyPass }, secrets: privateKeyPass ? [privateKeyPass] : [] };
  }
  const password = env[config.password_env];
  if (!password) throw new WarehouseError(`password authentication needs the password in environment variable ${config.password_env}`, where, 'config');
  return { options: { password }, secrets: [password] };
}

export async function openSnowflake(config: SnowflakeConfig, targetName = 'snowflake', env: NodeJS.ProcessEnv = process.env): Promise<Adapter> {
  const connectWhere = { target: targetName, experiment: '-', step: 'connect' };
  const { options: auth, secrets } = credentials(config, env, connectWhere);
  // The SDK logs to stdout (and a file) by default: stdout must stay one JSON document under --json,
  // and exptrack reports errors itself.
  snowflakeSdk.configure({ logLevel: 'OFF' });
  const address = config.access_url ?? `${config.account}.snowflakecomputing.com`;
  const main = await openSession(config, targetName, auth, secrets, address);
  return {
    query: main.run,
    async session(ctx, fn) {
      // A connection (a Snowflake session) of its own: with --concurrency, other experiments' queries on
      // the shared one would otherwise run inside this transaction, and their temporary tables of the
      // same names would collide. Temporary tables live until it closes.
      const s = await openSession(config, targetName, auth, secrets, address);
      let open = false;
      const run = (sql: string, step: string) => s.run(sql, { ...ctx, step });
      try {
        const out = await fn(run, async () => {
          await run('BEGIN TRANSACTION', 'state-begin');
          open = true;
        });
        if (open) await run('COMMIT', 'state-commit');
        open = false;
        return out;
      } finally {
        // Closing the session would roll back what is open too; ROLLBACK first says so in the query history.
        if (open) await run('ROLLBACK', 'state-rollback').catch(() => undefined);
        await s.close();
      }
    },
    close: main.close,
  };
}

/** One logged-in Snowflake session with exptrack's session settings. */
async function openSession(
  config: SnowflakeConfig,
  targetName: string,
  auth: Record<string, unknown>,
  secrets: string[],
  address: string,
): Promise<{ run: (sqlText: string, ctx: QueryContext) => Promise<Row[]>; close: () => Promise<void> }> {
  const connectWhere = { target: targetName, experiment: '-', step: 'connect' };
  let connection: snowflakeSdk.Connection;
  try {
    connection = snowflakeSdk.createConnection({
      account: config.account,
      username: config.username,
      ...auth,
      ...(config.warehouse ? { warehouse: config.warehouse } : {}),
      ...(config.role ? { role: config.role } : {}),
      ...(config.database ? { database: config.database } : {}),
      ...(config.schema ? { schema: config.schema } : {}),
      ...(config.access_url ? { accessUrl: config.access_url } : {}),
      application: 'exptrack',
      // Exact text for NUMBER (and FLOAT) cells: no silent rounding of NUMBER(38, 0) beyond 2^53.
      fetchAsString: ['Number'],
      // Otherwise a NULL in a string-fetched column arrives as the text 'NULL'.
      representNullAsStringNull: false,
      rowMode: 'array',
    } as snowflakeSdk.ConnectionOptions);
  } catch (e) {
    throw toWarehouseError(e, connectWhere, secrets);
  }
  // The SDK retries a login that gets no answer for minutes, whatever the query timeout: the
  // connect timeout bounds password and key-pair logins alike, and drops the attempt when reached.
  const abandon = () => connection.destroy(() => undefined);
  const login = () =>
    // connect() with a callback: connectAsync() resolves even when the login is refused.
    new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(toWarehouseError(err, connectWhere, secrets)) : resolve())));
  await connectWithin(config.connect_timeout_seconds, address, targetName, login, abandon);

  const run = (sqlText: string, ctx: QueryContext): Promise<Row[]> => {
    const where = { target: targetName, experiment: ctx.experiment, step: ctx.step };
    if (ctx.signal?.aborted) return Promise.reject(new WarehouseError('cancelled before it started', where, 'cancelled'));
    return new Promise<Row[]>((resolve, reject) => {
      let settled = false;
      // Set once a cancel is under way: the query's own failure (000604) then reports why it was cancelled.
      let cancelling: WarehouseError | null = null;
      let timer: NodeJS.Timeout | undefined;
      let giveUp: NodeJS.Timeout | undefined;
      const finish = (err: WarehouseError | null, rows?: Row[]) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(giveUp);
        ctx.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(rows ?? []);
      };
      const statement = connection.execute({
        sqlText,
        // One requestId per query: the SDK resends it on every retry of the query-request, and
        // Snowflake attaches a resent request to the query already running instead of running it again.
        requestId: randomUUID(),
        parameters: { QUERY_TAG: queryTag(ctx), STATEMENT_TIMEOUT_IN_SECONDS: config.query_timeout_seconds },
        complete: (err, stmt, rows) => {
          if (cancelling) return finish(cancelling);
          if (err) return finish(toWarehouseError(err, where, secrets));
          try {
            finish(null, rowsOf((stmt.getColumns() ?? []) as SdkColumn[], (rows ?? []) as unknown[][]));
          } catch (e) {
            finish(new WarehouseError(`unreadable result: ${e instanceof Error ? e.message : String(e)}`, where));
          }
        },
      });
      // Cancels the query on the warehouse (abort-request), then fails the call; a cancel that does
      // not come back in 10 s is not waited for.
      const cancelThen = (err: WarehouseError) => {
        if (settled || cancelling) return;
        cancelling = err;
        giveUp = setTimeout(() => finish(err), 10_000);
        statement.cancel(() => finish(err));
      };
      const onAbort = () => cancelThen(new WarehouseError('cancelled; the query was cancelled on Snowflake', where, 'cancelled'));
      ctx.signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(
        () => cancelThen(new WarehouseError(`timed out after ${config.query_timeout_seconds} s (query_timeout_seconds); the query was cancelled on Snowflake`, where, 'timeout')),
        config.query_timeout_seconds * 1000,
      );
    });
  };

  try {
    await connectWithin(config.connect_timeout_seconds, address, targetName, () => run(sessionSetup(config.query_timeout_seconds), { experiment: '-', step: 'connect' }), () => undefined);
  } catch (e) {
    connection.destroy(() => {});
    throw e;
  }

  return {
    run,
    async close() {
      await new Promise<void>((resolve) => connection.destroy(() => resolve()));
    },
  };
}
