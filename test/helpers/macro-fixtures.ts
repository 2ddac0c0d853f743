// Macro fixtures as data (test/macros/fixtures/*.yaml): input rows, a partial call and the expected
// column. This module loads them and builds, per warehouse, the input tables and the query that
// renders the partial through the real template machinery.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { createSqlRenderer, type SqlRenderer } from '../../src/compile/sql-templates.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { SqlFragment } from '../../src/compile/sql-fragment.js';
import { qualifiedColumn, type Dialect } from '../../src/warehouse/types.js';
import { REPO_ROOT } from './demo-project.js';
import { COLUMN_TYPES, type ColumnKind, type MatrixWarehouse } from './warehouse-matrix.js';

export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'macros', 'fixtures');

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Case = z
  .object({
    name: z.string(),
    /** Partial arguments: `$column` passes a column of the input, a number a number, a list of `$column`s a list of columns. */
    call: z.record(z.string(), z.union([z.string().regex(/^\$[a-z_]+$/), z.number(), z.array(z.string().regex(/^\$[a-z_]+$/))])),
    order_independent: z.boolean().optional(),
    /** Warehouse -> part of the error it is known to raise: the case must fail there, until fixed. */
    known_failure: z.record(z.string(), z.string()).optional(),
    rows: z.array(z.record(z.string(), Scalar)).min(1),
    /** Aggregates: expected result per group (`grp` column). Scalars put `expected` in each row. */
    expected: z.record(z.string(), Scalar).optional(),
  })
  .strict();
export const Fixture = z
  .object({
    partial: z.string().regex(/^[a-z0-9_]+$/),
    description: z.string(),
    kind: z.enum(['scalar', 'aggregate']),
    exact: z.boolean().optional(),
    /** `hash`: check hash properties instead of values. */
    check: z.enum(['values', 'hash']).default('values'),
    columns: z.record(z.string(), z.enum(['text', 'integer', 'double', 'decimal', 'timestamp', 'boolean'])),
    cases: z.array(Case).min(1),
  })
  .strict();
export type Fixture = z.infer<typeof Fixture>;
export type FixtureCase = z.infer<typeof Case>;

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const parsed = Fixture.safeParse(parse(readFileSync(join(FIXTURES_DIR, f), 'utf8')));
      if (!parsed.success) throw new Error(`test/macros/fixtures/${f}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      if (`${parsed.data.partial}.yaml` !== f) throw new Error(`test/macros/fixtures/${f}: partial '${parsed.data.partial}' must match the file name`);
      return parsed.data;
    });
}

/** The partials of the contract table in templates/sql/README.md. */
export function contractPartials(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'templates', 'sql', 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]);
}

/**
 * Template context of a case: its table, and the arguments that are not single columns (numbers, and
 * lists of columns as SqlFragments, the way compile passes them).
 */
export function caseContext(warehouse: MatrixWarehouse, f: Fixture, c: FixtureCase, i: number, reversed: boolean): object {
  const dialect = getWarehouse(warehouse).dialect;
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.call)) {
    if (typeof v === 'number') args[k] = v;
    else if (Array.isArray(v)) args[k] = v.map((col) => new SqlFragment(qualifiedColumn(dialect, 't', col.slice(1))));
  }
  return { table: tableName(f, i, reversed), args };
}

export const tableName = (fixture: Fixture, caseIndex: number, reversed = false) => `fx_${fixture.partial}_${caseIndex}${reversed ? '_rev' : ''}`;

function literal(dialect: Dialect, kind: ColumnKind, v: z.infer<typeof Scalar>): string {
  if (v === null) return 'NULL';
  if (kind === 'text') return dialect.stringLiteral(String(v));
  if (kind === 'timestamp') return dialect.timestampLiteral(String(v));
  if (kind === 'boolean') return dialect.booleanLiteral(Boolean(v));
  return dialect.numberLiteral(String(v));
}

/** CREATE TABLE and INSERT statements for every case of every fixture (and the reversed copies). */
export function inputStatements(warehouse: MatrixWarehouse, fixtures: Fixture[]): string[] {
  const dialect = getWarehouse(warehouse).dialect;
  const out: string[] = [];
  for (const f of fixtures) {
    const cols = Object.entries(f.columns);
    f.cases.forEach((c, i) => {
      for (const reversed of c.order_independent ? [false, true] : [false]) {
        const table = dialect.quoteIdentifier(tableName(f, i, reversed));
        out.push(`CREATE TABLE ${table} (row_id BIGINT, ${cols.map(([n, k]) => `${dialect.quoteIdentifier(n)} ${COLUMN_TYPES[warehouse][k]}`).join(', ')})`);
        const rows = c.rows.map((r, k) => `(${k}, ${cols.map(([n, kind]) => literal(dialect, kind, r[n] ?? null)).join(', ')})`);
        out.push(`INSERT INTO ${table} VALUES ${(reversed ? rows.reverse() : rows).join(', ')}`);
      }
    });
  }
  return out;
}

/**
 * A renderer over the real partials (templates/sql/default and templates/sql/<warehouse>) with one
 * generated step per fixture case: the partial called on the input table's columns.
 */
export function fixtureRenderer(warehouse: MatrixWarehouse, fixtures: Fixture[]): { renderer: SqlRenderer; step: (f: Fixture, i: number) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-macros-'));
  mkdirSync(join(dir, 'sql', 'steps'), { recursive: true });
  for (const folder of ['default', warehouse]) symlinkSync(join(REPO_ROOT, 'templates', 'sql', folder), join(dir, 'sql', folder));
  const step = (f: Fixture, i: number) => `${f.partial}_${i}`;
  for (const f of fixtures) {
    f.cases.forEach((c, i) => {
      const args = Object.entries(c.call)
        .map(([k, v]) => (typeof v === 'string' ? `${k}=(col "t" "${v.slice(1)}")` : `${k}=args.${k}`))
        .join(' ');
      const call = `{{> ${f.partial}${args ? ` ${args}` : ''}}}`;
      const sql =
        f.kind === 'scalar'
          ? `SELECT {{col "t" "row_id"}} AS row_id, ${call} AS result FROM {{table table}} AS t ORDER BY {{col "t" "row_id"}}`
          : `SELECT {{col "t" "grp"}} AS grp, ${call} AS result FROM {{table table}} AS t GROUP BY {{col "t" "grp"}} ORDER BY {{col "t" "grp"}}`;
      writeFileSync(join(dir, 'sql', 'steps', `${step(f, i)}.sql.hbs`), sql);
    });
  }
  const w = getWarehouse(warehouse);
  return { renderer: createSqlRenderer(dir, w.name, w.dialect, REPO_ROOT), step };
}
