/**
 * FAKE Snowflake: a small HTTP server on 127.0.0.1 speaking the REST protocol that snowflake-sdk
 * uses (reached through the SDK's accessUrl over http). It proves that exptrack's adapter drives the
 * unmodified official SDK correctly: login, query-request with requestId, JSON rowsets with rowtype
 * metadata, result chunks, abort-request, session delete, retries. It is not Snowflake: queries are
 * answered by a programmed handler or run on DuckDB after translation (fake-snowflake-duckdb.ts).
 * The fallback is told the session token, so duckdbSessions (fake-snowflake-duckdb.ts) runs each
 * session on a DuckDB connection of its own: temporary tables and BEGIN/COMMIT/ROLLBACK per session,
 * and DDL inside a transaction commits it first, as on Snowflake. What it cannot show: Snowflake's
 * table locks (DuckDB's concurrent writers conflict instead of waiting), and that a failed statement
 * leaves a Snowflake transaction open (DuckDB aborts it; exptrack rolls back on any failure anyway).
 */
import { randomUUID, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { FakeSqlError, type FakeResult } from './fake-snowflake-duckdb.js';

export interface FakeQuery {
  sql: string;
  requestId: string;
  /** Statement-level parameters sent with the query-request (QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS). */
  parameters: Record<string, unknown>;
}

/** What a programmed handler answers: a result, a Snowflake error, or a query that runs until cancelled. */
export type FakeAnswer =
  | FakeResult
  | { error: { code: string; message: string; sqlState?: string } }
  | { hang: true }
  /** A long query: "in progress" (333334) on the query-request and on `polls` result polls, then the result. */
  | { slow: FakeResult; polls: number };

/** A fault for the next request to `path` (a prefix when it ends with /): an HTTP status or a dropped connection, before or after the query ran. */
export interface FakeFault {
  path: string;
  status?: number;
  drop?: boolean;
  afterExecute?: boolean;
}

export interface FakeSnowflakeOptions {
  /** username -> password */
  users: Record<string, string>;
  /** username -> public key, for key-pair (JWT) logins */
  publicKeys?: Record<string, KeyObject>;
  /** Answers a query; undefined falls through to `fallback` (for example runOnDuckdb). */
  handler?: (q: FakeQuery) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;
  fallback?: (sql: string, session: string) => Promise<FakeResult>;
  /** A session was deleted (the SDK's destroy): what it held open is rolled back. */
  onSessionEnd?: (session: string) => void | Promise<void>;
  /** Rows per result chunk; the first chunk travels inline in the query response. */
  chunkRows?: number;
}

export interface FakeRequestLog {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
}

type Body = Record<string, unknown>;

const STATEMENT_OK: FakeResult = { columns: [{ name: 'status', type: 'text' }], rows: [['Statement executed successfully.']] };

export class FakeSnowflakeServer {
  readonly requests: FakeRequestLog[] = [];
  /** Queries actually executed (once per requestId, however often the request was resent). */
  readonly executions: FakeQuery[] = [];
  readonly aborts: { requestId?: string; queryId?: string }[] = [];
  readonly faults: FakeFault[] = [];
  sessionDeletes = 0;
  /** Session parameters set by ALTER SESSION, by session token. */
  readonly sessionParameters = new Map<string, Record<string, string>>();
  private server: Server | undefined;
  private readonly sessions = new Set<string>();
  private readonly byRequestId = new Map<string, Promise<Body>>();
  private readonly cancelWaiters = new Map<string, () => void>();
  private readonly queryIdToRequest = new Map<string, string>();
  private readonly chunks = new Map<string, string>();
  private readonly slow = new Map<string, { polls: number; body: Body }>();
  url = '';

  constructor(private readonly options: FakeSnowflakeOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const w of this.cancelWaiters.values()) w();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  executionsOf(sqlPart: string): FakeQuery[] {
    return this.executions.filter((q) => q.sql.includes(sqlPart));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const raw = Buffer.concat(parts);
    // The SDK gzips request bodies (and says so, when compression finished before sending).
    const text = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    const body = text ? (JSON.parse(text) as Body) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, search: url.searchParams, body });
    const send = (status: number, payload: unknown, contentType = 'application/json') => {
      res.writeHead(status, { 'Content-Type': contentType });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const faultIndex = this.faults.findIndex((f) => f.path === url.pathname || (f.path.endsWith('/') && url.pathname.startsWith(f.path)));
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0] : undefined;
    const failNow = () => {
      if (fault!.drop) res.socket?.destroy();
      else send(fault!.status ?? 503, { message: 'fake transient failure' });
    };
    if (fault && !fault.afterExecute) return failNow();

    try {
      if (url.pathname === '/session/v1/login-request') return send(200, this.login(body));
      if (url.pathname.startsWith('/chunks/')) {
        const chunk = this.chunks.get(url.pathname);
        if (!chunk || req.headers['x-fake-chunk-key'] !== 'fake-key') return send(403, '<Error>AccessDenied</Error>', 'application/xml');
        return send(200, chunk, 'application/octet-stream');
      }
      const token = /Snowflake Token="([^"]+)"/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !this.sessions.has(token)) return send(401, { success: false, code: '390104', message: 'Authentication token is invalid.' });
      if (url.pathname === '/queries/v1/query-request') {
        const answer = await this.query(body ?? {}, url.searchParams.get('requestId') ?? '', token);
        if (fault) return failNow();
        return send(200, answer);
      }
      const poll = /^\/queries\/(.+)\/result$/.exec(url.pathname);
      if (poll && this.slow.has(poll[1])) {
        const entry = this.slow.get(poll[1])!;
        return send(200, entry.polls-- > 0 ? this.inProgress(poll[1]) : entry.body);
      }
      const abort = /^\/queries\/(.+)\/abort-request$/.exec(url.pathname);
      if (abort) {
        const requestId = abort[1] === 'v1' ? String(body?.requestId) : this.queryIdToRequest.get(abort[1]);
        this.aborts.push(abort[1] === 'v1' ? { requestId } : { queryId: abort[1] });
        if (requestId) this.cancelWaiters.get(requestId)?.();
        return send(200, { success: true, data: null });
      }
      if (url.pathname === '/session' && url.searchParams.get('delete') === 'true') {
        this.sessionDeletes++;
        this.sessions.delete(token);
        await this.options.onSessionEnd?.(token);
        return send(200, { success: true, data: null });
      }
      if (url.pathname === '/session/heartbeat' || url.pathname === '/telemetry/send') return send(200, { success: true, data: null });
      return send(404, { success: false, message: `fake Snowflake has no ${url.pathname}` });
    } catch (e) {
      return send(500, { message: e instanceof Error ? e.message : String(e) });
    }
  }

  private login(body: Body | undefined): Body {
    const data = (body?.data ?? {}) as Record<string, unknown>;
    const user = String(data.LOGIN_NAME ?? '');
    const accepted = data.AUTHENTICATOR === 'SNOWFLAKE_JWT' ? this.validJwt(user, String(data.TOKEN ?? '')) : this.options.users[user] !== undefined && this.options.users[user] === data.PASSWORD;
    if (!accepted) {
      return { success: false, code: '390100', message: 'Incorrect username or password was specified.', data: { nextAction: 'RETRY_LOGIN' } };
    }
    const token = randomUUID();
    this.sessions.add(token);
    return {
      success: true,
      data: { token, masterToken: `m-${token}`, validityInSeconds: 3600, masterValidityInSeconds: 14400, sessionId: Date.now(), parameters: [] },
    };
  }

  /** An RS256 JWT signed by the user's key, for ACCOUNT.USER, not expired. */
  private validJwt(user: string, token: string): boolean {
    const key = this.options.publicKeys?.[user];
    const [header, payload, signature] = token.split('.');
    if (!key || !signature) return false;
    if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string; exp?: number };
    return typeof claims.sub === 'string' && claims.sub.endsWith(`.${user.toUpperCase()}`) && Number(claims.exp) > Date.now();
  }

  /** A query-request: the first request with a requestId runs the query; a resend attaches to it. */
  private query(body: Body, requestId: string, token: string): Promise<Body> {
    let pending = this.byRequestId.get(requestId);
    if (!pending) {
      const q: FakeQuery = { sql: String(body.sqlText ?? ''), requestId, parameters: (body.parameters ?? {}) as Record<string, unknown> };
      pending = this.execute(q, token);
      this.byRequestId.set(requestId, pending);
    }
    return pending;
  }

  private async execute(q: FakeQuery, token: string): Promise<Body> {
    this.executions.push(q);
    const queryId = randomUUID();
    this.queryIdToRequest.set(queryId, q.requestId);
    try {
      const alter = /^\s*ALTER\s+SESSION\s+SET\s+([\s\S]*)$/i.exec(q.sql);
      let result: FakeResult;
      if (alter) {
        const params = this.sessionParameters.get(token) ?? {};
        for (const m of alter[1].matchAll(/([A-Z_]+)\s*=\s*('[^']*'|[^,\s]+)/gi)) params[m[1].toUpperCase()] = m[2].replace(/^'|'$/g, '');
        this.sessionParameters.set(token, params);
        result = STATEMENT_OK;
      } else {
        const answer = (await this.options.handler?.(q)) ?? (this.options.fallback ? await this.options.fallback(q.sql, token) : undefined);
        if (!answer) throw new FakeSqlError('002003', 'SQL compilation error: the fake has no answer for this query');
        if ('error' in answer) throw new FakeSqlError(answer.error.code, answer.error.message, answer.error.sqlState);
        if ('hang' in answer) {
          await new Promise<void>((resolve) => this.cancelWaiters.set(q.requestId, resolve));
          throw new FakeSqlError('000604', 'SQL execution canceled', '57014');
        }
        if ('slow' in answer) {
          this.slow.set(queryId, { polls: answer.polls, body: this.resultBody(queryId, answer.slow) });
          return this.inProgress(queryId);
        }
        result = answer;
      }
      return this.resultBody(queryId, result);
    } catch (e) {
      const err = e instanceof FakeSqlError ? e : new FakeSqlError('000603', `SQL execution internal error: ${String(e)}`, 'XX000');
      return { success: false, code: err.code, message: err.message, data: { queryId, sqlState: err.sqlState, errorCode: err.code } };
    }
  }

  private inProgress(queryId: string): Body {
    return { success: true, code: '333334', message: 'Asynchronous execution in progress.', data: { queryId, getResultUrl: `/queries/${queryId}/result` } };
  }

  private resultBody(queryId: string, result: FakeResult): Body {
    const size = this.options.chunkRows ?? 1000;
    const parts: (string | null)[][][] = [];
    for (let i = 0; i < result.rows.length; i += size) parts.push(result.rows.slice(i, i + size));
    const chunks = parts.slice(1).map((rows, i) => {
      const path = `/chunks/${queryId}/${i}`;
      const text = rows.map((r) => JSON.stringify(r)).join(',');
      this.chunks.set(path, text);
      return { url: `${this.url}${path}`, rowCount: rows.length, uncompressedSize: text.length, compressedSize: text.length };
    });
    return {
      success: true,
      code: null,
      data: {
        queryId,
        version: 1,
        queryResultFormat: 'json',
        statementTypeId: 4096,
        parameters: [{ name: 'TIMEZONE', value: 'UTC' }],
        rowtype: result.columns.map((c) => ({
          name: c.name, type: c.type, precision: c.precision ?? null, scale: c.scale ?? null, nullable: true, length: null, byteLength: null, database: '', schema: '', table: '',
        })),
        rowset: parts[0] ?? [],
        total: result.rows.length,
        returned: result.rows.length,
        chunks,
        chunkHeaders: chunks.length ? { 'x-fake-chunk-key': 'fake-key' } : undefined,
      },
    };
  }
}
