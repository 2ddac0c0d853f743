/**
 * What a warehouse's catalogue says about its tables: names and column types, read from
 * information_schema (or the engine's equivalent). No data is read and nothing is written.
 */

export type ColumnKind = 'timestamp' | 'date' | 'number' | 'string' | 'boolean' | 'other';

export interface CatalogueColumn {
  name: string;
  /** The type as the warehouse spells it (VARCHAR, timestamp with time zone, INT64, NUMBER, ...). */
  dataType: string;
  kind: ColumnKind;
}

export interface CatalogueTable {
  /** Schema (DuckDB, Postgres, Snowflake) or dataset (BigQuery). */
  schema: string;
  name: string;
  columns: CatalogueColumn[];
}

/** Maps every warehouse's type names to the kinds a model declares (`columns:`, `timestamp:`). */
export function columnKind(dataType: string): ColumnKind {
  const t = dataType.trim().toUpperCase();
  if (/^(TIMESTAMP|DATETIME)/.test(t)) return 'timestamp';
  if (t === 'DATE') return 'date';
  if (/^(TINYINT|SMALLINT|INTEGER|INT|INT2|INT4|INT8|INT64|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL|NUMERIC|BIGNUMERIC|BIGDECIMAL|NUMBER|DOUBLE|DOUBLE PRECISION|FLOAT|FLOAT4|FLOAT8|FLOAT64|REAL)\b/.test(t)) return 'number';
  if (/^(VARCHAR|TEXT|STRING|CHAR|CHARACTER|CHARACTER VARYING|NVARCHAR|BPCHAR|UUID|CITEXT|NAME)\b/.test(t)) return 'string';
  if (/^(BOOLEAN|BOOL)$/.test(t)) return 'boolean';
  return 'other';
}

/** Whether a column of this kind can stand where a model declares `declared`. */
export function compatible(declared: 'timestamp' | 'number' | 'string' | 'boolean', actual: ColumnKind): boolean {
  if (declared === 'timestamp') return actual === 'timestamp' || actual === 'date';
  return declared === actual;
}

export class Catalogue {
  constructor(
    readonly tables: CatalogueTable[],
    /** Schemas a one-part table name resolves in, first match wins (main, public, the target's schema). */
    private readonly defaultSchemas: string[],
  ) {}

  /**
   * The table a model's `table:` names: matched on its last part, then its schema when given; exact
   * names first, then ignoring case (Snowflake folds unquoted names to upper case).
   */
  find(ref: string): CatalogueTable | undefined {
    const parts = ref.split('.');
    const name = parts[parts.length - 1];
    const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    for (const eq of [(a: string, b: string) => a === b, (a: string, b: string) => a.toLowerCase() === b.toLowerCase()]) {
      const hits = this.tables.filter((t) => eq(t.name, name) && (schema === undefined || eq(t.schema, schema)));
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) return this.defaultSchemas.map((s) => hits.find((h) => eq(h.schema, s))).find(Boolean) ?? hits[0];
    }
    return undefined;
  }

  /** `schema.table` names for did-you-mean suggestions. */
  tableNames(): string[] {
    return this.tables.map((t) => `${t.schema}.${t.name}`);
  }
}

export function findColumn(table: CatalogueTable, name: string): CatalogueColumn | undefined {
  return table.columns.find((c) => c.name === name) ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** Groups catalogue rows (one per column) into tables, in the warehouse's column order. */
export function catalogueFromRows(rows: { table_schema: unknown; table_name: unknown; column_name: unknown; data_type: unknown }[], defaultSchemas: string[]): Catalogue {
  const tables = new Map<string, CatalogueTable>();
  for (const raw of rows) {
    // Snowflake answers unquoted column names in upper case.
    const r = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v])) as typeof raw;
    const key = `${String(r.table_schema)}.${String(r.table_name)}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { schema: String(r.table_schema), name: String(r.table_name), columns: [] }));
    t.columns.push({ name: String(r.column_name), dataType: String(r.data_type), kind: columnKind(String(r.data_type)) });
  }
  return new Catalogue([...tables.values()].sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`)), defaultSchemas);
}
