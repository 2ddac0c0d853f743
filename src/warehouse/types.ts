import type { z } from 'zod';

/** A value as every adapter returns it: no driver type leaves a warehouse folder. */
export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;

/**
 * How a warehouse spells names and literals. Everything else that differs between warehouses
 * lives in its template partials (templates/sql/<name>/).
 */
export interface Dialect {
  /** Quotes one identifier part. */
  quoteIdentifier(name: string): string;
  /** Quotes a dotted table reference part by part. */
  quoteTable(ref: string): string;
  stringLiteral(value: string): string;
  /** ISO-8601 UTC instant -> timestamp literal. */
  timestampLiteral(iso: string): string;
  numberLiteral(text: string): string;
  booleanLiteral(value: boolean): string;
  /**
   * Names the function (and version) the `row_hash` partial hashes a row with, for input fingerprints:
   * fingerprints taken with different ids are not comparable, and the change log says so instead of
   * reporting changed data.
   */
  rowHashId: string;
  /**
   * How the warehouse matches the quoted names exptrack writes, which `check` follows: Postgres
   * compares quoted names exactly (case included); DuckDB ignores case; BigQuery ignores it for
   * columns only. Absent: case-insensitive.
   */
  identifierCase?: { tables: 'exact' | 'insensitive'; columns: 'exact' | 'insensitive' };
}

/** `alias.column`, each part quoted: the one way compiled SQL names a column. */
export function qualifiedColumn(dialect: Dialect, alias: string, column: string): string {
  return `${dialect.quoteIdentifier(alias)}.${dialect.quoteIdentifier(column)}`;
}

export interface QueryContext {
  experiment: string;
  step: string;
  /** Aborted on Ctrl-C (or by the caller): the adapter cancels the warehouse job and throws a 'cancelled' WarehouseError. */
  signal?: AbortSignal;
}

/** What a dry run says a query would cost, when the warehouse can tell before running it. */
export interface Estimate {
  /** Bytes the query would scan (BigQuery: totalBytesProcessed). */
  bytes: number;
}

export interface Adapter {
  /**
   * Runs one query and returns normalized rows. Applies the target's own per-query timeout,
   * cancels the job on timeout or abort, retries transient failures without running a job twice,
   * and throws only WarehouseError.
   */
  query(sql: string, ctx: QueryContext): Promise<Row[]>;
  /** Dry run: what the query would scan. Absent when the warehouse cannot tell. */
  estimate?(sql: string, ctx: QueryContext): Promise<Estimate>;
  /**
   * Runs `fn` on one connection inside one read-write transaction: committed when it resolves,
   * rolled back when it throws (or the process dies). Only state writes (src/state) use it; absent
   * where the adapter cannot hold a transaction across statements yet.
   */
  transaction?<T>(ctx: QueryContext, fn: (run: (sql: string, step: string) => Promise<Row[]>) => Promise<T>): Promise<T>;
  /**
   * For warehouses whose DDL cannot join a transaction (BigQuery rejects DDL on permanent tables inside
   * one; Snowflake commits the open transaction before any DDL): runs `fn` in one session of its own
   * (a BigQuery session, a Snowflake connection), where statements autocommit and temporary tables live
   * until the session ends. `begin()` opens the one read-write transaction: committed when `fn`
   * resolves, rolled back when it throws (or the process dies: the session ends with it). Only state
   * writes (src/state) use it.
   */
  session?<T>(ctx: QueryContext, fn: (run: (sql: string, step: string) => Promise<Row[]>, begin: () => Promise<void>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Warehouse<C extends z.ZodObject = z.ZodObject> {
  /** User-facing name: folder, registry key, `type:` in config, template folder. */
  name: string;
  dialect: Dialect;
  /** Target settings in exptrack.yaml (besides `type`). Secrets never go here. */
  configSchema: C;
  /** Whether its adapter can price a query before running it (a dry run): `compile --estimate` connects only then. */
  estimates: boolean;
  /** Experiments `exptrack run` runs at once unless told (--concurrency, `concurrency:`): absent means 1. */
  defaultConcurrency?: number;
  /**
   * The dotted prefix state tables get in SQL, from the target's write_schema. Absent: write_schema
   * itself is the schema (or dataset). DuckDB attaches a separate file and names it here.
   */
  stateSchemaRef?(writeSchema: string): string;
  /** Where the adapter connects, for the "connecting to ..." progress line (no secrets). */
  address?(config: z.infer<C>): string;
  /** Loads the driver lazily, so unused warehouses cost nothing at start-up. */
  createAdapter(config: z.infer<C>, env: { projectRoot: string; targetName: string; writeSchema?: string }): Promise<Adapter>;
}

/** Why a warehouse call failed, for messages, exit codes and --json. */
export type WarehouseErrorKind =
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'quota'
  | 'bytes_limit'
  | 'timeout'
  | 'cancelled'
  | 'connection'
  | 'syntax'
  | 'config'
  | 'other';

/** A warehouse failure, named by target and step, safe to print (no secrets). */
export class WarehouseError extends Error {
  readonly kind: WarehouseErrorKind;
  /** Only these three: a query context's other fields (its AbortSignal) have no place in an error. */
  readonly ctx: { target: string; experiment: string; step: string };
  constructor(message: string, ctx: { target: string; experiment: string; step: string }, kind: WarehouseErrorKind = 'other') {
    super(`${ctx.target}: ${ctx.experiment} ${ctx.step}: ${message}`);
    this.name = 'WarehouseError';
    this.kind = kind;
    this.ctx = { target: ctx.target, experiment: ctx.experiment, step: ctx.step };
  }
}
