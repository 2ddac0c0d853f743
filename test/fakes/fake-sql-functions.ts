/**
 * How the FAKE BigQuery and Snowflake servers give a vendor function the vendor's meaning on DuckDB.
 * @polyglot-sql/sdk translates the syntax (backticks, CAST types, IF/IFF, …) and passes calls it does
 * not know through unchanged; so before translating, each vendor function whose translation is wrong
 * is renamed to a DuckDB macro (or a JavaScript scalar function) that implements the vendor's
 * documented semantics. This is general by design: any query that calls these functions, whatever
 * step it comes from, runs faithfully. Every entry is tested against the examples on the vendor's
 * own documentation page (test/warehouse/fake-sql-functions.test.ts, which cites each page).
 *
 * Only names in code are rewritten: string literals, quoted identifiers and comments are left alone.
 */
import { BIGINT, DuckDBScalarFunction, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { bigqueryFingerprint } from 'farmhash-modern';

export type FakeDialect = 'bigquery' | 'snowflake';

export interface FakeFunction {
  dialect: FakeDialect;
  /** The vendor's name, as called in our SQL. */
  vendor: string;
  /** The DuckDB macro or function the call is renamed to. */
  fake: string;
  /** How the fake implements it (a CREATE MACRO statement, or a JavaScript scalar function). */
  install: string | ((connection: DuckDBConnection) => void);
  /** Rewrites the call's arguments before the rename (e.g. an unquoted date part becomes a string). */
  argumentsFrom?: RegExp;
  argumentsTo?: string;
  /** The vendor's documentation page the semantics follow. */
  docs: string;
}

export const FAKE_FUNCTIONS: FakeFunction[] = [
  {
    dialect: 'bigquery',
    vendor: 'FARM_FINGERPRINT',
    fake: 'bq_farm_fingerprint',
    // FarmHash Fingerprint64 read as a signed INT64, from farmhash-modern (the open-source FarmHash
    // compiled to WebAssembly), as BigQuery documents it.
    install: (connection) =>
      connection.registerScalarFunction(
        DuckDBScalarFunction.create({
          name: 'bq_farm_fingerprint',
          returnType: BIGINT,
          parameterTypes: [VARCHAR],
          mainFunction: (_info, input, output) => {
            const v = input.getColumnVector(0);
            for (let i = 0; i < input.rowCount; i++) {
              const s = v.getItem(i) as string | null;
              output.setItem(i, s === null ? null : bigqueryFingerprint(s));
            }
            output.flush();
          },
        }),
      ),
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/hash_functions#farm_fingerprint',
  },
  {
    dialect: 'bigquery',
    vendor: 'MIN_BY',
    fake: 'bq_min_by',
    // MIN_BY(x, y) is ANY_VALUE(x HAVING MIN y): keep the rows with the least non-NULL y, then any
    // non-NULL x among them (NULL when they have none). DuckDB's arg_min skips a NULL x and would
    // look further; ordering by (y, x IS NULL) and keeping NULL results gives BigQuery's answer.
    install: 'CREATE OR REPLACE TEMP MACRO bq_min_by(x, y) AS arg_min_null(x, CASE WHEN y IS NULL THEN NULL ELSE struct_pack(k := y, n := x IS NULL) END)',
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#min_by',
  },
  {
    dialect: 'bigquery',
    vendor: 'CONCAT',
    fake: 'bq_concat',
    // BigQuery's CONCAT is NULL when any argument is NULL; DuckDB's skips NULLs. One overload per
    // arity, up to eight arguments (a longer call fails in the fake rather than run wrongly).
    install: `CREATE OR REPLACE TEMP MACRO bq_concat(a) AS CASE WHEN a IS NULL THEN NULL ELSE concat(a) END,
      (a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE concat(a, b) END,
      (a, b, c) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL THEN NULL ELSE concat(a, b, c) END,
      (a, b, c, d) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL OR d IS NULL THEN NULL ELSE concat(a, b, c, d) END,
      (a, b, c, d, e) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL OR d IS NULL OR e IS NULL THEN NULL ELSE concat(a, b, c, d, e) END,
      (a, b, c, d, e, f) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL OR d IS NULL OR e IS NULL OR f IS NULL THEN NULL ELSE concat(a, b, c, d, e, f) END,
      (a, b, c, d, e, f, g) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL OR d IS NULL OR e IS NULL OR f IS NULL OR g IS NULL THEN NULL ELSE concat(a, b, c, d, e, f, g) END,
      (a, b, c, d, e, f, g, h) AS CASE WHEN a IS NULL OR b IS NULL OR c IS NULL OR d IS NULL OR e IS NULL OR f IS NULL OR g IS NULL OR h IS NULL THEN NULL ELSE concat(a, b, c, d, e, f, g, h) END`,
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#concat',
  },
  {
    dialect: 'bigquery',
    vendor: 'DATE',
    fake: 'bq_date',
    // DATE(timestamp, time_zone) is the date of the instant in that zone; the translator turns it into
    // STRPTIME(ts, zone), which DuckDB rejects. The three documented forms, as one overloaded macro.
    install:
      'CREATE OR REPLACE TEMP MACRO bq_date(a) AS CAST(a AS DATE), (a, tz) AS CAST(timezone(tz, CAST(a AS TIMESTAMPTZ)) AS DATE), (y, m, d) AS make_date(y, m, d)',
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date',
  },
  {
    dialect: 'snowflake',
    vendor: 'MIN_BY',
    fake: 'sf_min_by',
    // Snowflake ignores NULLs in the minimum column only: the row with the least y gives x, NULL or not.
    install: 'CREATE OR REPLACE TEMP MACRO sf_min_by(x, y) AS arg_min_null(x, y)',
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/min_by',
  },
  {
    dialect: 'snowflake',
    vendor: 'DATEDIFF',
    fake: 'sf_datediff',
    // Snowflake truncates both values to the unit and subtracts (unit boundaries crossed), which is
    // DuckDB's date_diff; the translator casts timestamps to DATE first, losing everything below a day.
    install: 'CREATE OR REPLACE TEMP MACRO sf_datediff(part, a, b) AS date_diff(part, a, b)',
    argumentsFrom: /^\(\s*([A-Za-z_]+)\s*,/,
    argumentsTo: "('$1',",
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/datediff',
  },
  {
    dialect: 'snowflake',
    vendor: 'TO_NUMBER',
    fake: 'sf_to_number',
    // The forms exptrack emits: TO_NUMBER(text), and TO_NUMBER(hex text, 'XX…') with a hexadecimal
    // format model. Any other format fails loudly instead of guessing.
    install: `CREATE OR REPLACE TEMP MACRO sf_to_number(s) AS CAST(s AS DECIMAL(38, 0)),
      (s, fmt) AS CAST(CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(fmt, '[Xx]+') AND length(s) <= length(fmt) THEN '0x' || s
        ELSE 'fake TO_NUMBER implements only hexadecimal format models (X...), not ' || fmt END AS UBIGINT)`,
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/to_decimal',
  },
  {
    dialect: 'snowflake',
    vendor: 'BITXOR_AGG',
    fake: 'sf_bitxor_agg',
    install: 'CREATE OR REPLACE TEMP MACRO sf_bitxor_agg(x) AS bit_xor(x)',
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/bitxor_agg',
  },
];

/**
 * Type names whose translation is wrong, rewritten in the translator's output (outside literals).
 * BigQuery's NUMERIC (alias DECIMAL) is a DECIMAL(38, 9); the translator writes a bare DECIMAL (it
 * drops even explicit parameters) or, inside some functions, DECIMAL(18, 3) outright, DuckDB's default.
 */
export const FAKE_TYPES: { dialect: FakeDialect; from: RegExp; to: string; docs: string }[] = [
  { dialect: 'bigquery', from: /\bDECIMAL(?:\(18, 3\)|\b(?!\s*\())/gi, to: 'DECIMAL(38, 9)', docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#decimal_types' },
];

/**
 * Rewrites of the translator's output (DuckDB SQL) where it is wrong in a way no rename can reach.
 * Each is checked by a test to be wrong without it.
 */
export const FAKE_REPAIRS: { dialect: FakeDialect; construct: string; from: RegExp; to: string; docs?: string }[] = [
  // TIMESTAMP_ADD(ts, INTERVAL -3600 SECOND) becomes `+ INTERVAL -3600 SECOND`, a DuckDB syntax error.
  { dialect: 'bigquery', construct: 'TIMESTAMP_ADD with negative seconds', from: /INTERVAL (-\d+) SECOND/g, to: 'INTERVAL ($1) SECOND' },
  { dialect: 'snowflake', construct: "DATEADD('second', negative, …)", from: /INTERVAL (-\d+) SECOND/g, to: 'INTERVAL ($1) SECOND' },
  // TIMESTAMP_DIFF counts whole intervals (BigQuery: "only the number of whole specified HOUR intervals
  // are included"), DuckDB's date_sub; the translator writes date_diff, which counts boundaries.
  {
    dialect: 'bigquery',
    construct: 'TIMESTAMP_DIFF(…, SECOND|MINUTE|HOUR|…)',
    from: /\bDATE_DIFF\('(MICROSECOND|MILLISECOND|SECOND|MINUTE|HOUR)'/g,
    to: "DATE_SUB('$1'",
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#timestamp_diff',
  },
];

/** Applies `edit` to the code between string literals, quoted identifiers and comments. */
function inCode(sql: string, edit: (code: string) => string): string {
  const out: string[] = [];
  let code = '';
  let i = 0;
  const flush = () => {
    out.push(edit(code));
    code = '';
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      flush();
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      // A doubled quote ('') continues the same literal.
      while (sql[j + 1] === c) {
        j += 2;
        while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      }
      out.push(sql.slice(i, j + 1));
      i = j + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      flush();
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      out.push(sql.slice(i, end));
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      flush();
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      out.push(sql.slice(i, end));
      i = end;
    } else {
      code += c;
      i += 1;
    }
  }
  flush();
  return out.join('');
}

/** Vendor SQL with each listed function renamed to its fake. */
export function renameVendorFunctions(sql: string, dialect: FakeDialect): string {
  const functions = FAKE_FUNCTIONS.filter((f) => f.dialect === dialect);
  // Arguments are rewritten on the whole text first: an unquoted date part is code, not a literal.
  let text = sql;
  for (const f of functions.filter((x) => x.argumentsFrom)) {
    text = text.replace(new RegExp(`\\b${f.vendor}(\\s*\\(\\s*[A-Za-z_]+\\s*,)`, 'gi'), (_m, args: string) => `${f.vendor}${args.replace(f.argumentsFrom!, f.argumentsTo!)}`);
  }
  return inCode(text, (code) => {
    let c = code;
    for (const f of functions) c = c.replace(new RegExp(`\\b${f.vendor}(?=\\s*\\()`, 'gi'), f.fake);
    return c;
  });
}

/** The translator's DuckDB SQL with the listed types and repairs applied. */
export function repairTranslation(sql: string, dialect: FakeDialect): string {
  const types = FAKE_TYPES.filter((t) => t.dialect === dialect);
  const typed = inCode(sql, (code) => types.reduce((acc, t) => acc.replace(t.from, t.to), code));
  return FAKE_REPAIRS.filter((r) => r.dialect === dialect).reduce((acc, r) => acc.replace(r.from, r.to), typed);
}

const installed = new WeakMap<DuckDBConnection, Set<FakeDialect>>();

/** Creates the dialect's fake functions on a connection (once per connection). */
export async function installFakeFunctions(connection: DuckDBConnection, dialect: FakeDialect): Promise<void> {
  const done = installed.get(connection) ?? new Set<FakeDialect>();
  if (done.has(dialect)) return;
  for (const f of FAKE_FUNCTIONS.filter((x) => x.dialect === dialect)) {
    if (typeof f.install === 'string') await connection.run(f.install);
    else f.install(connection);
  }
  done.add(dialect);
  installed.set(connection, done);
}
