import { z } from 'zod';
import { Duration } from '../spec/schemas.js';
import { durationSeconds } from '../spec/duration.js';

/**
 * Settings of a target that are about writing back, not about reading: where state and results
 * go, and whether scheduled runs refresh incrementally. They are taken off a target's settings
 * before its warehouse checks the rest, so every warehouse accepts them the same way.
 */
export const STATE_SETTING_KEYS = ['write_schema', 'incremental', 'late_lookback', 'concurrency', 'results_table', 'decisions_table'] as const;

const TableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a table name: letters, digits and _, not starting with a digit, at most 63 characters');

export const stateSettingsSchema = z
  .object({
    write_schema: z
      .string()
      .min(1)
      .optional()
      .describe('where exptrack may write: a schema (Postgres, Snowflake), a dataset (BigQuery), or for DuckDB a separate state database file (the source file stays read-only)'),
    incremental: z.boolean().default(false).describe('refresh incrementally from the state in write_schema on every run (as --incremental)'),
    late_lookback: Duration.optional()
      .describe('how late rows may arrive (for example 24h, 2d); each incremental run re-reads rows newer than the watermark minus this; default: the data latency check limit'),
    concurrency: z.number().int().positive().optional().describe('experiments run at once (default 1 for DuckDB and Postgres, 4 for BigQuery and Snowflake)'),
    results_table: TableName.optional().describe('table in write_schema that every run appends its results to (default exptrack_results)'),
    decisions_table: TableName.optional().describe('table in write_schema that `exptrack decide` appends decisions to (default exptrack_decisions)'),
  })
  .strict();

export interface StateSettings {
  writeSchema: string | null;
  incremental: boolean;
  /** Seconds, or null for the default (the data latency check's limit). */
  lateLookbackSeconds: number | null;
  concurrency: number | null;
  /** Where results and decisions go in write_schema (src/warehouse-results); absent: the defaults. */
  resultsTable?: string;
  decisionsTable?: string;
}

export const NO_STATE: StateSettings = { writeSchema: null, incremental: false, lateLookbackSeconds: null, concurrency: null };

/** Splits a target's raw settings into the warehouse's own and the write-back ones. */
export function splitStateSettings(raw: Record<string, unknown>): { warehouse: Record<string, unknown>; state: Record<string, unknown> } {
  const warehouse: Record<string, unknown> = {};
  const state: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) ((STATE_SETTING_KEYS as readonly string[]).includes(k) ? state : warehouse)[k] = v;
  return { warehouse, state };
}

export function toStateSettings(parsed: z.infer<typeof stateSettingsSchema>): StateSettings {
  return {
    writeSchema: parsed.write_schema ?? null,
    incremental: parsed.incremental,
    lateLookbackSeconds: parsed.late_lookback === undefined ? null : durationSeconds(parsed.late_lookback),
    concurrency: parsed.concurrency ?? null,
    ...(parsed.results_table ? { resultsTable: parsed.results_table } : {}),
    ...(parsed.decisions_table ? { decisionsTable: parsed.decisions_table } : {}),
  };
}
