import { createSqlRenderer } from '../compile/sql-templates.js';
import type { ResolvedExperiment, ResolvedSource } from '../spec/types.js';
import { getWarehouse } from '../warehouse/registry.js';

type ColumnType = 'string' | 'number' | 'boolean' | 'timestamp';

export interface InstrumentTable {
  source: string;
  table: string;
  role: string;
  timestamp: string | null;
  columns: { name: string; type: ColumnType; required: boolean }[];
  /** Clustering (BigQuery, Snowflake) after the day partition: what every scan filters or joins on. */
  cluster: string[];
  /** Postgres indexes: the same access paths. */
  indexes: { name: string; columns: string[] }[];
}

/** Every source the experiment reads (exposure, metrics, audience filters), once, in first-use order. */
export function experimentSources(exp: ResolvedExperiment): { source: ResolvedSource; roles: string[] }[] {
  const out = new Map<string, { source: ResolvedSource; roles: string[] }>();
  const add = (s: ResolvedSource, role: string) => {
    const e = out.get(s.name) ?? { source: s, roles: [] };
    if (!e.roles.includes(role)) e.roles.push(role);
    out.set(s.name, e);
  };
  add(exp.exposure.source, 'exposures');
  for (const m of exp.metrics) for (const c of m.denominator ? [m.numerator, m.denominator] : [m.numerator]) add(c.source, `metric ${c.name}`);
  for (const x of exp.exclusions) add(x.source, `audience filter ${x.name}`);
  return [...out.values()];
}

/** Postgres names are at most 63 bytes; the index names stay readable and unique per table. */
function indexName(table: string, suffix: string): string {
  const base = table.split('.').pop()!.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63 - suffix.length - 1);
  return `${base}_${suffix}`;
}

export function instrumentTables(exp: ResolvedExperiment): InstrumentTable[] {
  return experimentSources(exp).map(({ source: s, roles }) => {
    const columns = new Map<string, { name: string; type: ColumnType; required: boolean }>();
    const add = (name: string, type: ColumnType, required: boolean) => {
      if (!columns.has(name)) columns.set(name, { name, type, required });
    };
    add(s.unitColumn, 'string', true);
    if (s.experimentKeyColumn) add(s.experimentKeyColumn, 'string', true);
    if (s.variantColumn) add(s.variantColumn, 'string', true);
    // Attribute tables (no event time) get no timestamp column.
    if (s.timestamp !== null) add(s.timestamp, 'timestamp', true);
    if (s.loadedAt) add(s.loadedAt, 'timestamp', false);
    for (const [name, type] of Object.entries(s.columns)) add(name, type, false);
    const isExposure = s.experimentKeyColumn !== null;
    const cluster = isExposure ? [s.experimentKeyColumn!, s.unitColumn] : [s.unitColumn];
    const cols = (...c: (string | null)[]) => c.filter((x): x is string => x !== null);
    const indexes = isExposure
      ? [{ name: indexName(s.table, 'key_ts_idx'), columns: cols(s.experimentKeyColumn!, s.timestamp) }, { name: indexName(s.table, 'unit_ts_idx'), columns: cols(s.unitColumn, s.timestamp) }]
      : [{ name: indexName(s.table, 'ts_idx'), columns: cols(s.timestamp) }, { name: indexName(s.table, 'unit_ts_idx'), columns: cols(s.unitColumn, s.timestamp) }];
    return { source: s.name, table: s.table, role: roles.join(', '), timestamp: s.timestamp, columns: [...columns.values()], cluster, indexes };
  });
}

/**
 * CREATE SCHEMA / CREATE TABLE (and, on Postgres, CREATE INDEX) statements for every table the
 * experiment's models read, in the warehouse's spelling: day partitions and clustering on BigQuery,
 * clustering keys on Snowflake, indexes on Postgres. Idempotent (IF NOT EXISTS), never run by exptrack.
 */
export function instrumentDdl(exp: ResolvedExperiment, warehouseName: string, templatesDir: string, projectRoot: string): string {
  const w = getWarehouse(warehouseName);
  const renderer = createSqlRenderer(templatesDir, w.name, w.dialect, projectRoot);
  const tables = instrumentTables(exp);
  const schemas = [...new Set(tables.map((t) => t.table.split('.').slice(0, -1).join('.')).filter(Boolean))].sort();
  const sql = renderer.render('instrument_ddl', { experiment: exp.id, warehouse: w.name, schemas, tables });
  return `${sql.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
