import { randomUUID } from 'node:crypto';
import { BigQuery, type BigQueryOptions, type Job, type QueryResultsOptions } from '@google-cloud/bigquery';
import { connectTimeoutError } from '../connect-timeout.js';
import { WarehouseError, type Adapter, type QueryContext, type Row } from '../types.js';
import { isTransient, mapBigqueryError, type ErrorTarget } from './bigquery-errors.js';
import { convertRows, type RawRow, type SchemaField } from './bigquery-rows.js';
import type { BigqueryConfig } from './config.js';

/** Knobs that tests turn; defaults suit real BigQuery. */
export interface BigqueryClientOptions {
  /** An auth client for the SDK (tests: a fake one); default: the client's standard credential chain. */
  authClient?: BigQueryOptions['authClient'];
  /** Rows per getQueryResults page. */
  pageSize?: number;
  /** Longest wait of one getQueryResults call before it reports "not complete yet". */
  pollMs?: number;
  /** First backoff, doubled each retry up to maxBackoffMs. */
  retryBaseMs?: number;
  maxBackoffMs?: number;
  /** Tries of one request, the first included. */
  maxAttempts?: number;
}

/** How a query job takes part in a session (BigQuery REST: JobConfigurationQuery.createSession, connectionProperties). */
type SessionLink = { createSession: true } | { connectionProperties: { key: 'session_id'; value: string }[] };

/** Why a wait ended early: our own deadline or the caller's abort, never a server answer. */
class Stop extends Error {
  constructor(readonly kind: 'timeout' | 'cancelled') {
    super(kind);
  }
}

/** BigQuery label values: lowercase letters, digits, '_' and '-', at most 63 characters. */
export function labelValue(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
}

/** Rejects when the deadline passes or the signal aborts, whichever comes first. */
function guard<T>(p: Promise<T>, deadline: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(new Stop('cancelled'));
    const left = deadline - Date.now();
    if (left <= 0) return reject(new Stop('timeout'));
    const onAbort = () => reject(new Stop('cancelled'));
    const timer = setTimeout(() => reject(new Stop('timeout')), left);
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function openBigquery(config: BigqueryConfig, targetName: string, opts: BigqueryClientOptions = {}): Promise<Adapter> {
  const client = new BigQuery({
    projectId: config.project,
    location: config.location,
    apiEndpoint: config.api_endpoint,
    authClient: opts.authClient,
    // Retries are ours: the SDK's would re-send a job insert without knowing whether it ran.
    autoRetry: false,
  });
  const pageSize = opts.pageSize ?? 10_000;
  const pollMs = opts.pollMs ?? 10_000;
  const base = opts.retryBaseMs ?? 500;
  const cap = opts.maxBackoffMs ?? 16_000;
  const attempts = opts.maxAttempts ?? 6;
  const timeoutMs = Math.round(config.query_timeout_seconds * 1000);
  const maxBytes = config.maximum_bytes_billed === undefined ? undefined : String(config.maximum_bytes_billed);
  const errorTarget: ErrorTarget = { target: targetName, project: config.project, maximumBytesBilled: maxBytes };
  // Until a first request has been answered, requests also stop at the connect timeout: an endpoint
  // (or a credential server) that never answers fails in seconds, not at the query timeout.
  const connectMs = Math.round(config.connect_timeout_seconds * 1000);
  let answered = false;
  const firstDeadline = (deadline: number) => (answered ? deadline : Math.min(deadline, Date.now() + connectMs));
  const address = config.api_endpoint ?? 'https://bigquery.googleapis.com';
  const notAnswered = (e: unknown) => e instanceof Stop && e.kind === 'timeout' && !answered;

  /** One request with capped exponential backoff on transient failures; stops at the deadline or abort. */
  async function retrying<T>(call: () => Promise<T>, deadline: number, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await guard(call(), deadline, signal);
      } catch (e) {
        if (e instanceof Stop || attempt >= attempts || !isTransient(e)) throw e;
        await guard(sleep(Math.min(cap, base * 2 ** (attempt - 1))), deadline, signal);
      }
    }
  }

  function jobConfiguration(sql: string, ctx: QueryContext, dryRun: boolean, session?: SessionLink) {
    return {
      configuration: {
        query: {
          query: sql,
          useLegacySql: false,
          ...(session ?? {}),
          ...(config.dataset ? { defaultDataset: { projectId: config.project, datasetId: config.dataset } } : {}),
          ...(maxBytes ? { maximumBytesBilled: maxBytes } : {}),
        },
        labels: { ...config.labels, exptrack_experiment: labelValue(ctx.experiment), exptrack_step: labelValue(ctx.step) },
        jobTimeoutMs: String(timeoutMs),
        ...(dryRun ? { dryRun: true } : {}),
      },
    };
  }

  /**
   * Inserts the job under a jobId chosen here, once per query: a retried insert whose first try
   * reached BigQuery gets 409 and picks up that job instead of starting a second one.
   */
  async function insertOnce(jobId: string, sql: string, ctx: QueryContext, deadline: number, session?: SessionLink): Promise<Job> {
    const job = client.job(jobId, { location: config.location });
    for (let attempt = 1; ; attempt += 1) {
      try {
        const insert = client.createJob({ jobId, ...jobConfiguration(sql, ctx, false, session) });
        // A timeout or Ctrl-C can land while this request is still on its way: the cancel waits for it.
        inflightInserts.set(jobId, insert.then(() => undefined, () => undefined));
        const [created] = await guard(insert, deadline, ctx.signal);
        return created;
      } catch (e) {
        if ((e as { code?: unknown }).code === 409) {
          const [meta] = await retrying(() => job.getMetadata(), deadline, ctx.signal);
          if (meta?.jobReference?.location) job.location = meta.jobReference.location;
          return job;
        }
        if (e instanceof Stop || attempt >= attempts || !isTransient(e)) throw e;
        await guard(sleep(Math.min(cap, base * 2 ** (attempt - 1))), deadline, ctx.signal);
      }
    }
  }

  async function readAll(job: Job, ctx: QueryContext, deadline: number): Promise<Row[]> {
    const rows: Row[] = [];
    let pageToken: string | undefined;
    for (;;) {
      const wait = Math.max(1, Math.min(pollMs, deadline - Date.now()));
      const [raw, , resp] = (await retrying(
        () =>
          job.getQueryResults({
            maxResults: pageSize,
            ...(pageToken ? { pageToken } : {}),
            // Text, not a number: a number makes the SDK fail instead of returning "not complete".
            timeoutMs: String(wait) as unknown as number,
            autoPaginate: false,
            skipParsing: true,
          } as QueryResultsOptions) as Promise<unknown>,
        deadline,
        ctx.signal,
      )) as unknown as [RawRow[], unknown, { jobComplete?: boolean; schema?: { fields?: SchemaField[] }; pageToken?: string }];
      if (resp?.jobComplete === false) continue;
      rows.push(...convertRows(resp?.schema?.fields ?? [], raw ?? []));
      if (!resp?.pageToken) return rows;
      pageToken = resp.pageToken;
    }
  }

  const inflightInserts = new Map<string, Promise<void>>();

  /** Best effort, bounded: the job may already be done, or never have been created. */
  async function cancel(jobId: string): Promise<void> {
    // Cancelling before an in-flight insert lands would miss the job it creates; wait for it (bounded).
    const pending = inflightInserts.get(jobId);
    if (pending) await guard(pending, Date.now() + 10_000).catch(() => undefined);
    try {
      await guard(client.job(jobId, { location: config.location }).cancel(), Date.now() + 10_000);
    } catch {
      // Nothing more to do: the job's own jobTimeoutMs still bounds it on the server.
    }
  }

  function stopped(s: Stop, ctx: QueryContext): WarehouseError {
    const where = { target: targetName, experiment: ctx.experiment, step: ctx.step };
    return s.kind === 'timeout'
      ? new WarehouseError(`query timed out after ${config.query_timeout_seconds} s and was cancelled (raise query_timeout_seconds in target '${targetName}' if it needs longer)`, where, 'timeout')
      : new WarehouseError('query cancelled', where, 'cancelled');
  }

  /** One query job to its last row; `session` creates a BigQuery session with the job or joins one. */
  async function runJob(sql: string, ctx: QueryContext, session?: SessionLink): Promise<{ rows: Row[]; job: Job }> {
    const deadline = Date.now() + timeoutMs;
    const jobId = `exptrack_${labelValue(ctx.experiment)}_${labelValue(ctx.step)}_${randomUUID().replaceAll('-', '')}`.replaceAll('-', '_');
    let inserted = false;
    try {
      const job = await insertOnce(jobId, sql, ctx, firstDeadline(deadline), session);
      inserted = true;
      answered = true;
      return { rows: await readAll(job, ctx, deadline), job };
    } catch (e) {
        if (notAnswered(e)) throw connectTimeoutError(config.connect_timeout_seconds, address, targetName);
        if (e instanceof Stop) {
          await cancel(jobId);
          throw stopped(e, ctx);
        }
        // Given up on reading a job that may still be running: stop it rather than pay for it.
        if (inserted && isTransient(e)) await cancel(jobId);
        throw mapBigqueryError(e, ctx, errorTarget);
      } finally {
        inflightInserts.delete(jobId);
      }
  }

  /** The session a job created (statistics.sessionInfo), from the insert's answer or, failing that, the job's metadata. */
  async function sessionOf(job: Job, ctx: QueryContext): Promise<string> {
    type Meta = { statistics?: { sessionInfo?: { sessionId?: string } } };
    let id = (job.metadata as Meta | undefined)?.statistics?.sessionInfo?.sessionId;
    if (!id) {
      const [meta] = (await retrying(() => job.getMetadata(), Date.now() + timeoutMs, ctx.signal)) as unknown as [Meta];
      id = meta?.statistics?.sessionInfo?.sessionId;
    }
    if (!id) throw new WarehouseError('BigQuery created no session for the state refresh (statistics.sessionInfo.sessionId missing)', { target: targetName, experiment: ctx.experiment, step: ctx.step }, 'other');
    return id;
  }

  return {
    async query(sql, ctx) {
      return (await runJob(sql, ctx)).rows;
    },
    async session(ctx, fn) {
      // The first job creates the session (createSession); every later one joins it through the
      // session_id connection property, so TEMP tables and the transaction span jobs. Each refresh has
      // a session of its own: with --concurrency, other experiments' jobs stay out of it.
      // Concurrency is optimistic on BigQuery: of two transactions that mutate one table at once, it
      // cancels one (a failed run, to be rerun); nothing waits. The state claim (state_claim.sql.hbs)
      // mutates the shared meta table first, so two refreshes of any experiments in one write schema from
      // two processes cannot both commit if they overlap; one process takes its refreshes in turn.
      let sessionId: string | null = null;
      let open = false;
      const run = async (sql: string, step: string): Promise<Row[]> => {
        const c = { ...ctx, step };
        try {
          if (sessionId !== null) return (await runJob(sql, c, { connectionProperties: [{ key: 'session_id', value: sessionId }] })).rows;
          const { rows, job } = await runJob(sql, c, { createSession: true });
          sessionId = await sessionOf(job, c);
          return rows;
        } catch (e) {
          throw e instanceof WarehouseError ? e : mapBigqueryError(e, c, errorTarget);
        }
      };
      const begin = async () => {
        await run('BEGIN TRANSACTION', 'state-begin');
        open = true;
      };
      try {
        const out = await fn(run, begin);
        if (open) await run('COMMIT TRANSACTION', 'state-commit');
        open = false;
        return out;
      } finally {
        // On failure the transaction is rolled back; either way the session ends now rather than
        // idling for its 24 hours (ending it also drops its TEMP tables and rolls back what is open).
        if (open) await run('ROLLBACK TRANSACTION', 'state-rollback').catch(() => undefined);
        if (sessionId !== null) await run('CALL BQ.ABORT_SESSION()', 'state-end-session').catch(() => undefined);
      }
    },
    async estimate(sql, ctx) {
      const deadline = Date.now() + timeoutMs;
      try {
        const [, resp] = (await retrying(() => client.createJob(jobConfiguration(sql, ctx, true)), firstDeadline(deadline), ctx.signal)) as unknown as [
          unknown,
          { statistics?: { totalBytesProcessed?: string; query?: { totalBytesProcessed?: string } } },
        ];
        const bytes = resp?.statistics?.query?.totalBytesProcessed ?? resp?.statistics?.totalBytesProcessed;
        answered = true;
        if (bytes === undefined) throw new WarehouseError('dry run returned no totalBytesProcessed', { target: targetName, experiment: ctx.experiment, step: ctx.step }, 'other');
        return { bytes: Number(bytes) };
      } catch (e) {
        if (notAnswered(e)) throw connectTimeoutError(config.connect_timeout_seconds, address, targetName);
        if (e instanceof Stop) throw stopped(e, ctx);
        throw mapBigqueryError(e, ctx, errorTarget);
      }
    },
    async close() {
      // The SDK holds no connection of its own to close.
    },
  };
}
