import { WarehouseError, type WarehouseErrorKind } from '../types.js';

/** What an SDK failure carries: an HTTP status, a list of BigQuery error reasons, or a socket code. */
interface SdkError {
  code?: number | string;
  message?: string;
  errors?: { reason?: string; message?: string }[];
  response?: { body?: unknown };
}

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_REASONS = new Set(['backendError', 'internalError', 'rateLimitExceeded']);
const DROPPED = /ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|other side closed|premature close/i;

export function reasonOf(e: unknown): string | undefined {
  const err = e as SdkError;
  return err?.errors?.find((x) => x?.reason)?.reason;
}

/** 429, 5xx, a backend or rate-limit reason, or a dropped connection: worth another try. */
export function isTransient(e: unknown): boolean {
  const err = e as SdkError;
  if (typeof err?.code === 'number' && TRANSIENT_STATUS.has(err.code)) return true;
  const reason = reasonOf(e);
  if (reason && TRANSIENT_REASONS.has(reason)) return true;
  return (typeof err?.code === 'string' && DROPPED.test(err.code)) || DROPPED.test(String(err?.message ?? ''));
}

/** Removes anything shaped like a credential, whatever the server or the auth library echoed. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]')
    .replace(/\bya29\.[\w.-]+/g, '[redacted]')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted key]')
    .replace(/("?(?:private_key|client_secret|refresh_token|access_token)"?\s*[:=]\s*)("[^"]*"|\S+)/gi, '$1[redacted]');
}

export interface ErrorTarget {
  target: string;
  project: string;
  maximumBytesBilled?: string;
}

/** Any failure from the SDK -> a WarehouseError that says what to do, never a secret. */
export function mapBigqueryError(e: unknown, ctx: { experiment: string; step: string }, t: ErrorTarget): WarehouseError {
  if (e instanceof WarehouseError) return e;
  const err = e as SdkError;
  const where = { target: t.target, ...ctx };
  const raw = scrubSecrets(String(err?.message ?? e).split('\n')[0]);
  const reason = reasonOf(e);
  const status = typeof err?.code === 'number' ? err.code : undefined;
  const make = (kind: WarehouseErrorKind, message: string) => new WarehouseError(message, where, kind);

  if (reason === 'bytesBilledLimitExceeded') {
    const limit = t.maximumBytesBilled ? `maximum_bytes_billed = ${t.maximumBytesBilled} bytes` : 'the bytes-billed limit';
    return make('bytes_limit', `the query would bill more than ${limit}; it did not run. Raise maximum_bytes_billed in target '${t.target}' of exptrack.yaml if the cost is expected (\`exptrack compile --estimate\` shows what each query scans). BigQuery said: ${raw}`);
  }
  if (status === 401 || /invalid authentication credentials|could not load the default credentials|invalid_grant|unauthorized_client|invalid_client/i.test(raw)) {
    return make('authentication', `authentication failed: ${raw}. Credentials come from GOOGLE_APPLICATION_CREDENTIALS or application default credentials (gcloud auth application-default login)`);
  }
  if (reason === 'quotaExceeded' || reason === 'rateLimitExceeded' || status === 429) {
    return make('quota', `quota or rate limit exceeded (after retries): ${raw}`);
  }
  if (reason === 'accessDenied' || status === 403) {
    return make('permission', `permission denied: ${raw}. The credentials need bigquery.jobs.create on project ${t.project} and bigquery.tables.getData on the datasets the experiment reads`);
  }
  if (reason === 'notFound' || status === 404) {
    return make('not_found', `not found: ${raw}`);
  }
  if (reason === 'invalidQuery' || reason === 'invalid') return make('syntax', `query rejected: ${raw}`);
  if (reason === 'stopped') return make('cancelled', `job was cancelled: ${raw}`);
  if (isTransient(e)) return make('connection', `BigQuery unavailable after retries: ${raw}`);
  return make('other', raw);
}
