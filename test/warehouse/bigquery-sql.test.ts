// BigQuery SQL: every compiled demo query parses with two independent GoogleSQL parsers
// (sql-parser-cst, dialect 'bigquery', and @polyglot-sql/sdk validate), every partial of the
// contract renders to SQL they accept, and the dialect's quoting survives BigQuery's escape rules
// (checked by reading the literal back with the parser, not by comparing with our own output).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@polyglot-sql/sdk';
import { parse } from 'sql-parser-cst';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { bigqueryDialect } from '../../src/warehouse/bigquery/dialect.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { compileDemoFor, compiledQueries } from '../golden/demo-compile.js';

const queries = compiledQueries(compileDemoFor('bigquery'));

async function expectValid(sql: string, what: string): Promise<void> {
  expect(() => parse(sql, { dialect: 'bigquery' }), `${what}: sql-parser-cst`).not.toThrow();
  const v = await validate(sql, 'bigquery');
  expect(v.errors, `${what}: polyglot validate`).toEqual([]);
  expect(v.valid).toBe(true);
}

describe('compiled BigQuery SQL', () => {
  it.each(queries.map((q) => [q.key, q.sql] as const))('%s parses as GoogleSQL', async (key, sql) => {
    await expectValid(sql, key);
  });

  it('the parsers do reject broken SQL (the check is not vacuous)', async () => {
    const broken = queries[0].sql.replace(/\bFROM\b/, 'FROM FROM');
    expect(() => parse(broken, { dialect: 'bigquery' })).toThrow();
    expect((await validate(broken, 'bigquery')).valid).toBe(false);
  });

  it('never uses a bare UNION, which GoogleSQL refuses (both parsers accept it, so this is checked on the text)', () => {
    for (const q of queries) expect(q.sql, q.key).not.toMatch(/\bUNION\b(?!\s+(ALL|DISTINCT)\b)/);
  });

  it('uses no type name BigQuery lacks', () => {
    const code = (sql: string) => sql.replace(/--[^\n]*/g, '');
    for (const q of queries) expect(code(q.sql), q.key).not.toMatch(/\b(VARCHAR|DECIMAL\(|DOUBLE|TIMESTAMPTZ|arg_min|to_seconds)\b/i);
  });
});

describe('BigQuery partials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-bq-partials-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(REPO_ROOT, 'templates', 'sql'), join(dir, 'sql'), { recursive: true });
  // One query that calls every expression partial of the contract (templates/sql/README.md).
  writeFileSync(
    join(dir, 'sql', 'steps', 'partial_probe.sql.hbs'),
    `SELECT
  {{> cast_string value=(col "t" "n")}} AS a,
  SUM({{> exact_decimal value=(col "t" "amount")}}) AS b,
  {{> null_timestamp}} AS c,
  {{> first_by value=(col "t" "s") order=(col "t" "ts")}} AS d,
  MIN({{> ts_add_seconds ts=(col "t" "ts") seconds=-3600}}) AS e,
  MAX({{> ts_diff_seconds start=(col "t" "ts") end=(col "t" "ts2")}}) AS f,
  MIN({{> date_day ts=(col "t" "ts")}}) AS g,
  {{> safe_divide numerator=(col "t" "n") denominator=(col "t" "amount")}} AS h,
  SUM({{> to_double value=(col "t" "n")}}) AS i,
  MIN({{> whole_number value=(col "t" "amount")}}) AS m,
  {{> percentile value=(col "t" "amount") fraction=0.95}} AS j,
  {{> xor_agg value=(col "t" "h")}} AS k,
  MIN({{> hash64 value=(col "t" "s")}}) AS l
FROM {{table "my-project.events.t"}} AS t
GROUP BY {{col "t" "n"}}, {{col "t" "amount"}}
`,
  );

  it('every partial renders to SQL both parsers accept', async () => {
    const renderer = createSqlRenderer(dir, 'bigquery', bigqueryDialect, dir);
    const sql = renderer.render('partial_probe', {});
    expect(sql).toContain('PERCENTILE_CONT(CAST(`t`.`amount` AS FLOAT64), 0.95) OVER ()');
    expect(sql).toContain('TIMESTAMP_ADD(`t`.`ts`, INTERVAL -3600 SECOND)');
    expect(sql).toContain('`my-project`.`events`.`t`');
    expect(sql).toContain('CAST(`t`.`amount` AS INT64)');
    await expectValid(sql, 'partial probe');
    // Every partial was read from bigquery/ or default/, never from another warehouse's folder.
    expect([...renderer.files.keys()].every((f) => /sql\/(bigquery|default|steps)\//.test(f))).toBe(true);
  });
});

describe('BigQuery dialect', () => {
  const tricky = ["it's", 'back\\slash', "\\'", 'end\\', '\\\\', "o'\\'x", 'ünïcødé ✓', '`tick`', '"dq"', '--', '/* c */'];

  it.each(tricky)('string literal %j reads back as the same value', (value) => {
    const lit = bigqueryDialect.stringLiteral(value);
    const cst = parse(`SELECT ${lit} AS v`, { dialect: 'bigquery' }) as unknown as { statements: { clauses: { columns: { items: { expr: { value: string } }[] } }[] }[] };
    expect(cst.statements).toHaveLength(1);
    expect(cst.statements[0].clauses[0].columns.items[0].expr.value).toBe(value);
  });

  it.each(tricky)('identifier %j reads back as the same name', (value) => {
    const id = bigqueryDialect.quoteIdentifier(value);
    const cst = parse(`SELECT 1 AS ${id}`, { dialect: 'bigquery' }) as unknown as { statements: { clauses: { columns: { items: { alias: { name: string } }[] } }[] }[] };
    expect(cst.statements[0].clauses[0].columns.items[0].alias.name).toBe(value);
  });

  it('quotes each part of project.dataset.table', () => {
    expect(bigqueryDialect.quoteTable('my-project.analytics.events')).toBe('`my-project`.`analytics`.`events`');
  });

  it('refuses control characters instead of escaping them', () => {
    expect(() => bigqueryDialect.stringLiteral('a\nb')).toThrow(/control character/);
    expect(() => bigqueryDialect.quoteIdentifier('a\u0000')).toThrow(/control character/);
  });

  it('writes timestamps in UTC', () => {
    expect(bigqueryDialect.timestampLiteral('2026-10-04T02:00:00+02:00')).toBe("TIMESTAMP '2026-10-04 00:00:00.000 UTC'");
  });
});
