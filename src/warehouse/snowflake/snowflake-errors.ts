import { WarehouseError, type WarehouseErrorKind } from '../types.js';

/** What exptrack needs to know of an SDK error: never the error object itself (it can carry request data). */
interface SdkErrorFields {
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
  response?: { status?: unknown; statusCode?: unknown };
}

// SDK-side error codes (snowflake-sdk lib/error_code.js): network failures after its own retries.
const SDK_NETWORK = new Set([401001, 402001]);
const SDK_HTTP_FAILURE = new Set([401002, 401004]);

/**
 * Snowflake error codes -> exptrack's kinds. 3901xx are login failures (390100 incorrect username
 * or password, 390144 invalid JWT, ...); 002003 is "does not exist or not authorized" (Snowflake
 * does not tell the two apart); 000904 an invalid identifier; 003001 insufficient privileges;
 * 000604 cancelled; 000630 statement timeout; 001003 syntax error; 000606 no active warehouse.
 */
export function kindOfSnowflakeError(e: SdkErrorFields): WarehouseErrorKind {
  const code = typeof e.code === 'number' ? e.code : String(e.code ?? '');
  if (typeof code === 'number') {
    if (SDK_NETWORK.has(code)) return 'connection';
    if (SDK_HTTP_FAILURE.has(code)) {
      const status = Number(e.response?.status ?? e.response?.statusCode);
      if (status === 401 || status === 403) return 'authentication';
      if (status === 429) return 'quota';
      return 'connection';
    }
    return 'other';
  }
  if (/^390\d{3}$/.test(code) && code !== '390189') return 'authentication';
  if (code === '390189' || code === '003001' || code === '003011') return 'permission';
  if (code === '002003' || code === '000904' || code === '002043') return 'not_found';
  if (code === '000604') return 'cancelled';
  if (code === '000630') return 'timeout';
  if (code === '001003' || code === '001007' || code === '002140') return 'syntax';
  if (code === '000606') return 'config';
  return 'other';
}

const ADVICE: Partial<Record<WarehouseErrorKind, string>> = {
  authentication: 'authentication failed; check username, account and the password or key named by the target',
  permission: 'permission denied; the role needs USAGE on the warehouse, database and schema and SELECT on the tables',
  connection: 'could not reach Snowflake',
  config: 'check the target: warehouse, database and schema',
};

/**
 * A WarehouseError for an SDK failure, with every secret scrubbed from the message (the SDK's own
 * messages do not contain them, but a message quoting a request must not leak one either).
 */
export function toWarehouseError(
  e: unknown,
  where: { target: string; experiment: string; step: string },
  secrets: string[],
): WarehouseError {
  const fields = (e && typeof e === 'object' ? e : { message: String(e) }) as SdkErrorFields;
  const kind = kindOfSnowflakeError(fields);
  // Snowflake puts the useful part on a second line ("SQL compilation error:\nObject ... does not exist").
  let message = String(fields.message ?? 'unknown error').replace(/\s*\n\s*/g, ' ').trim();
  for (const s of secrets) if (s) message = message.replaceAll(s, '***');
  const code = fields.code !== undefined ? ` (Snowflake ${String(fields.code)})` : '';
  const advice = ADVICE[kind];
  return new WarehouseError(advice ? `${advice}: ${message}${code}` : `${message}${code}`, where, kind);
}
