// A fake of the BigQuery REST API (v2) on 127.0.0.1 and a free port, for protocol tests through the
// unmodified @google-cloud/bigquery SDK. It speaks the job endpoints the adapter uses —
// jobs.insert (incl. dry run), jobs.get, jobs.getQueryResults (paging, long poll), jobs.cancel — and
// jobs.query. What a query returns is programmed by the test (`answer`): fixed rows, or rows from
// DuckDB after translating the SQL (fake-bigquery-duckdb.ts). Failures are injected per endpoint, before or after the request
// has taken effect (a lost response), or as a dropped connection.
// Sessions: a job with `createSession: true` opens one (its id in statistics.sessionInfo), later jobs
// join it with the `session_id` connection property, and `CALL BQ.ABORT_SESSION()` ends it; the answer
// callback is told the session, so fake-bigquery-duckdb.ts runs each session on a DuckDB connection of
// its own (TEMP tables, BEGIN/COMMIT/ROLLBACK TRANSACTION). What it cannot show: BigQuery's own
// cancelling of one of two concurrent transactions that mutate the same table (DuckDB reports a
// conflict of its own instead, on other terms), and session expiry.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Endpoint = 'insert' | 'get' | 'results' | 'cancel' | 'query';
export type FakeValue = string | number | boolean | null;

export interface FakeAnswer {
  fields: { name: string; type: string }[];
  /** Values in field order; TIMESTAMP values as ISO strings. */
  rows?: FakeValue[][];
  /** What a dry run reports, and what maximumBytesBilled is checked against. */
  bytesProcessed?: number;
  /** The job stays RUNNING this long (ms) before it is DONE. */
  runMs?: number;
  /** The job fails with this error once done. */
  error?: { status: number; reason: string; message: string };
}

export interface Injection {
  endpoint: Endpoint;
  status?: number;
  reason?: string;
  /** Handle the request first (the job is created), then fail: the client never sees the answer. */
  afterHandling?: boolean;
  /** Destroy the socket instead of answering. */
  dropConnection?: boolean;
}

export interface FakeJob {
  id: string;
  location: string;
  sql: string;
  labels: Record<string, string>;
  maximumBytesBilled?: string;
  answer: FakeAnswer;
  createdAt: number;
  cancelled: boolean;
  sessionId?: string;
}

interface Recorded {
  method: string;
  path: string;
  endpoint: Endpoint | 'other';
  query: Record<string, string>;
  authorization?: string;
  body?: Record<string, unknown>;
}

const ERROR_STATUS: Record<string, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export class FakeBigqueryServer {
  readonly requests: Recorded[] = [];
  readonly jobs = new Map<string, FakeJob>();
  /** Jobs that ran (dry runs and duplicates excluded): a retried insert must not add one. */
  executions = 0;
  readonly cancels: string[] = [];
  /** Sessions opened (createSession) and not yet ended by BQ.ABORT_SESSION. */
  readonly sessions = new Set<string>();
  sessionsCreated = 0;
  private readonly injections: Injection[] = [];
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly opts: {
      /** A dry run passes `dryRun: true` and needs only bytesProcessed (or an error). */
      answer: (sql: string, how: { dryRun: boolean; sessionId?: string }) => FakeAnswer | Promise<FakeAnswer>;
      /** A session ended (CALL BQ.ABORT_SESSION()): whatever it held open is rolled back. */
      onSessionEnd?: (sessionId: string) => void | Promise<void>;
      /** Requests must carry `Authorization: Bearer <token>`; null accepts any, as an emulator does. */
      token: string | null;
      project?: string;
    },
  ) {}

  inject(...i: Injection[]): void {
    this.injections.push(...i);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  requestsTo(endpoint: Endpoint): Recorded[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const m = /^\/bigquery\/v2\/projects\/([^/]+)\/(jobs|queries)(?:\/([^/]+))?(\/cancel)?$/.exec(url.pathname);
    const endpoint: Endpoint | 'other' = !m
      ? 'other'
      : m[2] === 'queries'
        ? m[3] ? 'results' : 'query'
        : m[4] ? 'cancel' : m[3] ? 'get' : 'insert';
    this.requests.push({ method: req.method ?? '', path: url.pathname, endpoint, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });

    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(payload));
    };
    const fail = (status: number, reason: string, message: string) =>
      send(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: ERROR_STATUS[status] ?? 'UNKNOWN' } });

    if (this.opts.token !== null && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return fail(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    }
    if (!m) return fail(404, 'notFound', `Not found: ${url.pathname}`);
    const injected = this.takeInjection(endpoint as Endpoint);
    if (injected && !injected.afterHandling) return this.injectedFailure(injected, req, fail);

    const project = decodeURIComponent(m[1]);
    const jobId = m[3] ? decodeURIComponent(m[3]) : undefined;
    const [status, payload] = await this.route(endpoint as Endpoint, project, jobId, url.searchParams, body);
    if (injected) return this.injectedFailure(injected, req, fail);
    if (status >= 400) {
      const e = payload as { reason: string; message: string };
      return fail(status, e.reason, e.message);
    }
    send(status, payload);
  }

  private takeInjection(endpoint: Endpoint): Injection | undefined {
    const i = this.injections.findIndex((x) => x.endpoint === endpoint);
    return i < 0 ? undefined : this.injections.splice(i, 1)[0];
  }

  private injectedFailure(i: Injection, req: IncomingMessage, fail: (s: number, r: string, m: string) => void): void {
    if (i.dropConnection) {
      req.socket.destroy();
      return;
    }
    const status = i.status ?? 503;
    fail(status, i.reason ?? (status === 429 ? 'rateLimitExceeded' : 'backendError'), `injected ${status}`);
  }

  private jobResource(job: FakeJob, project: string) {
    const done = this.isDone(job);
    const failed = job.cancelled ? { reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' } : done ? job.answer.error : undefined;
    return {
      kind: 'bigquery#job',
      id: `${project}:${job.location}.${job.id}`,
      jobReference: { projectId: project, jobId: job.id, location: job.location },
      configuration: { query: { query: job.sql }, labels: job.labels },
      statistics: {
        query: { totalBytesProcessed: String(job.answer.bytesProcessed ?? 0) },
        totalBytesProcessed: String(job.answer.bytesProcessed ?? 0),
        ...(job.sessionId ? { sessionInfo: { sessionId: job.sessionId } } : {}),
      },
      status: done || job.cancelled ? { state: 'DONE', ...(failed ? { errorResult: { reason: failed.reason, message: failed.message }, errors: [{ reason: failed.reason, message: failed.message }] } : {}) } : { state: 'RUNNING' },
    };
  }

  private isDone(job: FakeJob): boolean {
    return job.cancelled || Date.now() - job.createdAt >= (job.answer.runMs ?? 0);
  }

  private async createJob(id: string, location: string, config: Record<string, unknown>): Promise<FakeJob> {
    const q = (config.query ?? {}) as { query?: string; maximumBytesBilled?: string; createSession?: boolean; connectionProperties?: { key: string; value: string }[] };
    const joined = q.connectionProperties?.find((p) => p.key === 'session_id')?.value;
    const sessionId = q.createSession ? `fake_session_${++this.sessionsCreated}` : joined;
    if (q.createSession) this.sessions.add(sessionId!);
    let answer: FakeAnswer;
    if (joined !== undefined && !this.sessions.has(joined)) {
      answer = { fields: [], error: { status: 400, reason: 'invalidQuery', message: `Session ${joined} was not found or has expired` } };
    } else if (sessionId !== undefined && /^\s*CALL\s+BQ\.ABORT_SESSION\s*\(\s*\)\s*;?\s*$/i.test(q.query ?? '')) {
      this.sessions.delete(sessionId);
      await this.opts.onSessionEnd?.(sessionId);
      answer = { fields: [], rows: [] };
    } else answer = await this.opts.answer(q.query ?? '', { dryRun: false, ...(sessionId ? { sessionId } : {}) });
    const job: FakeJob = { id, location, sql: q.query ?? '', labels: (config.labels ?? {}) as Record<string, string>, maximumBytesBilled: q.maximumBytesBilled, answer, createdAt: Date.now(), cancelled: false, sessionId };
    if (q.maximumBytesBilled !== undefined && (answer.bytesProcessed ?? 0) > Number(q.maximumBytesBilled)) {
      job.answer = { ...answer, runMs: 0, error: { status: 400, reason: 'bytesBilledLimitExceeded', message: `Query exceeded limit for bytes billed: ${q.maximumBytesBilled}. ${answer.bytesProcessed} or higher required.` } };
    }
    this.jobs.set(id, job);
    this.executions += 1;
    return job;
  }

  private async route(endpoint: Endpoint, project: string, jobId: string | undefined, qs: URLSearchParams, body?: Record<string, unknown>): Promise<[number, unknown]> {
    const notFound = (id: string) => [404, { reason: 'notFound', message: `Not found: Job ${project}:${id}` }] as [number, unknown];
    if (endpoint === 'insert') {
      const ref = (body?.jobReference ?? {}) as { jobId?: string; location?: string };
      const config = (body?.configuration ?? {}) as Record<string, unknown>;
      if (config.dryRun) {
        const a = await this.opts.answer(((config.query ?? {}) as { query?: string }).query ?? '', { dryRun: true });
        if (a.error) return [a.error.status, a.error];
        const bytes = String(a.bytesProcessed ?? 0);
        return [200, { kind: 'bigquery#job', jobReference: { projectId: project, location: ref.location ?? 'US' }, configuration: config, statistics: { totalBytesProcessed: bytes, query: { totalBytesProcessed: bytes } }, status: { state: 'DONE' } }];
      }
      const id = ref.jobId ?? `job_${this.jobs.size + 1}`;
      if (this.jobs.has(id)) return [409, { reason: 'duplicate', message: `Already Exists: Job ${project}:${ref.location ?? 'US'}.${id}` }];
      const job = await this.createJob(id, ref.location ?? 'US', config);
      return [200, this.jobResource(job, project)];
    }
    if (endpoint === 'query') {
      const requestId = String(body?.requestId ?? `q_${this.jobs.size + 1}`);
      const id = `query_${requestId}`;
      const existing = this.jobs.get(id);
      const job = existing ?? (await this.createJob(id, String(body?.location ?? 'US'), { query: { query: body?.query, maximumBytesBilled: body?.maximumBytesBilled }, labels: body?.labels }));
      return this.results(job, project, new URLSearchParams({ maxResults: String(body?.maxResults ?? ''), timeoutMs: String(body?.timeoutMs ?? 0) }));
    }
    const job = jobId ? this.jobs.get(jobId) : undefined;
    if (!job) return notFound(jobId ?? '');
    if (endpoint === 'get') return [200, this.jobResource(job, project)];
    if (endpoint === 'cancel') {
      this.cancels.push(job.id);
      job.cancelled = true;
      return [200, { kind: 'bigquery#jobCancelResponse', job: this.jobResource(job, project) }];
    }
    return this.results(job, project, qs);
  }

  private async results(job: FakeJob, project: string, qs: URLSearchParams): Promise<[number, unknown]> {
    // Long poll: wait up to timeoutMs for the job to finish, as BigQuery does.
    const until = Date.now() + Math.min(Number(qs.get('timeoutMs') || 10_000), 10_000);
    while (!this.isDone(job) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    const ref = { projectId: project, jobId: job.id, location: job.location };
    if (!this.isDone(job)) return [200, { kind: 'bigquery#getQueryResultsResponse', jobReference: ref, jobComplete: false }];
    if (job.cancelled) return [400, { reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' }];
    if (job.answer.error) return [job.answer.error.status, job.answer.error];
    const all = job.answer.rows ?? [];
    const start = Number((qs.get('pageToken') ?? 'p0').slice(1));
    const max = Number(qs.get('maxResults') || all.length || 1);
    const page = all.slice(start, start + max);
    const micros = qs.get('formatOptions.useInt64Timestamp') === 'true';
    const fields = job.answer.fields;
    const rows = page.map((r) => ({ f: r.map((v, i) => ({ v: encode(v, fields[i].type, micros) })) }));
    const next = start + max < all.length ? `p${start + max}` : undefined;
    return [200, { kind: 'bigquery#getQueryResultsResponse', jobReference: ref, jobComplete: true, schema: { fields: fields.map((f) => ({ ...f, mode: 'NULLABLE' })) }, totalRows: String(all.length), rows, ...(next ? { pageToken: next } : {}), cacheHit: false }];
  }
}

/** Every value travels as text, as in the real API; TIMESTAMP as microseconds or float seconds. */
function encode(v: FakeValue, type: string, micros: boolean): string | null {
  if (v === null) return null;
  if (type === 'TIMESTAMP' && typeof v === 'string') {
    const ms = Date.parse(v);
    return micros ? `${ms}000` : String(ms / 1000);
  }
  return String(v);
}
