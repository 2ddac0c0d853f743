import type { WarehouseErrorKind } from '../types.js';

/** What the adapter knows about a failed attempt besides the driver's error. */
export interface FailureContext {
  /** Where the server is, for messages: host:port/database as user. */
  where: string;
  passwordEnv: string;
  timeoutSeconds: number;
  /** The adapter's own timer fired, or the caller aborted: set before the query is cancelled. */
  stoppedBy?: 'timeout' | 'cancelled';
  /** A secret that must never appear in a message. */
  secret?: string;
}

export interface ClassifiedFailure {
  kind: WarehouseErrorKind;
  message: string;
  /** Safe to run the same read-only query again. */
  transient: boolean;
}

/** Code of the error the adapter raises when the server wants a password and its variable is unset. */
export const NO_PASSWORD = 'EXPTRACK_NO_PASSWORD';

interface DriverError {
  code?: string;
  message?: string;
  position?: string;
  name?: string;
}

// SQLSTATE classes and codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
const TRANSIENT_SQLSTATES = new Set(['53300', '40001', '40P01', '57P01', '57P02', '57P03']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function scrub(text: string, secret: string | undefined): string {
  const line = text.split('\n')[0];
  return secret ? line.replaceAll(secret, '***') : line;
}

/** Maps a pg/knex error to a WarehouseError kind and a message naming where and what, never the password. */
export function classifyFailure(error: unknown, ctx: FailureContext): ClassifiedFailure {
  const e = (error && typeof error === 'object' ? error : { message: String(error) }) as DriverError;
  const code = e.code ?? '';
  const text = scrub(e.message ?? String(error), ctx.secret);
  if (ctx.stoppedBy === 'cancelled') return { kind: 'cancelled', message: 'query cancelled; the server-side statement was cancelled too', transient: false };
  if (ctx.stoppedBy === 'timeout' || code === '57014') {
    // 57014 without our own stop means the server's statement_timeout fired (or a DBA cancelled it).
    const byUser = code === '57014' && /user request/i.test(text) && !ctx.stoppedBy;
    if (byUser) return { kind: 'cancelled', message: `query cancelled on the server (${text})`, transient: false };
    return { kind: 'timeout', message: `query exceeded query_timeout_seconds (${ctx.timeoutSeconds} s) and was cancelled on the server`, transient: false };
  }
  if (code === NO_PASSWORD) {
    return { kind: 'authentication', message: `${ctx.where} asks for a password, and the environment variable ${ctx.passwordEnv} (password_env) is not set`, transient: false };
  }
  if (code === '28P01' || code === '28000') {
    return { kind: 'authentication', message: `authentication failed connecting to ${ctx.where} (${text}); the password is read from $${ctx.passwordEnv}`, transient: false };
  }
  if (code === '42P01' || code === '3F000' || code === '42703' || code === '3D000') {
    return { kind: 'not_found', message: `${text} (on ${ctx.where}; check the model's table, the target's schema and the database)`, transient: false };
  }
  if (code === '42501') {
    return { kind: 'permission', message: `permission denied: ${text} (the user needs USAGE on the schema and SELECT on the tables)`, transient: false };
  }
  if (code === '42601' || code === '42883' || code === '42804') {
    return { kind: 'syntax', message: `the server rejected the SQL: ${text}${e.position ? ` at character ${e.position}` : ''}`, transient: false };
  }
  if (code === '53300') return { kind: 'connection', message: `the server has no free connection slots: ${text}`, transient: true };
  if (TRANSIENT_SQLSTATES.has(code)) return { kind: 'connection', message: `transient server failure ${code}: ${text}`, transient: true };
  if (code.startsWith('08') || NETWORK_CODES.has(code) || /Connection terminated|connection timeout|timeout expired|Timeout acquiring a connection/i.test(text)) {
    return { kind: 'connection', message: `cannot reach ${ctx.where}: ${text}`, transient: true };
  }
  if (code === 'ENOTFOUND') return { kind: 'connection', message: `cannot resolve the host of ${ctx.where}: ${text}`, transient: false };
  if (code.startsWith('53')) return { kind: 'quota', message: `the server ran out of resources: ${text}`, transient: false };
  return { kind: 'other', message: code ? `${text} (SQLSTATE ${code})` : text, transient: false };
}
