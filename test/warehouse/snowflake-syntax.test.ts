// Syntax: every query compiled for Snowflake, and every Snowflake partial of the contract, parses
// with two independent Snowflake parsers (node-sql-parser and @polyglot-sql/sdk's validate). This
// proves the SQL is well-formed Snowflake; it does not prove what Snowflake computes.
import { STEPS } from '../../src/compile/artifacts.js';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@polyglot-sql/sdk';
import nodeSqlParser from 'node-sql-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { snowflakeDialect } from '../../src/warehouse/snowflake/dialect.js';
import { REPO_ROOT } from '../helpers/demo-project.js';
import { compileDemo, PLACEHOLDER_SNOWFLAKE_CONFIG, type CompiledQuery } from './snowflake-demo-sql.js';

const parser = new nodeSqlParser.Parser();

/**
 * node-sql-parser's Snowflake grammar (5.x) has no GROUPING SETS, which Snowflake supports. A query
 * that fails there must fail exactly at GROUPING SETS, and parse once that one clause is replaced by
 * a plain GROUP BY of the same columns: so everything else in it is still checked.
 */
function parseWithNodeSqlParser(sql: string): void {
  try {
    parser.astify(sql, { database: 'snowflake' });
    return;
  } catch (e) {
    const offset = (e as { location?: { start: { offset: number } } }).location?.start.offset ?? -1;
    const at = sql.lastIndexOf('GROUPING SETS', offset);
    if (at < 0 || offset - at > 'GROUPING SETS'.length) throw e;
    parser.astify(withoutGroupingSets(sql), { database: 'snowflake' });
  }
}

/** Every `GROUP BY GROUPING SETS (...)` (there may be one per UNION branch) as a plain GROUP BY of its columns. */
function withoutGroupingSets(sql: string): string {
  const head = 'GROUP BY GROUPING SETS (';
  let out = '';
  let i = 0;
  for (;;) {
    const at = sql.indexOf(head, i);
    if (at < 0) return out + sql.slice(i);
    let depth = 0;
    let j = at + head.length - 1;
    for (; j < sql.length; j++) {
      if (sql[j] === '(') depth++;
      else if (sql[j] === ')' && --depth === 0) break;
    }
    const columns = [...new Set(sql.slice(at + head.length, j).replace(/[()\n]/g, ' ').split(',').map((c) => c.trim()).filter(Boolean))];
    out += sql.slice(i, at) + (columns.length ? `GROUP BY ${columns.join(', ')}` : '');
    i = j + 1;
  }
}

function expectValidSnowflake(q: CompiledQuery): void {
  const v = validate(q.sql, 'snowflake');
  expect(v.errors, `${q.name}: polyglot validate`).toEqual([]);
  expect(v.valid).toBe(true);
  expect(() => parseWithNodeSqlParser(q.sql), `${q.name}: node-sql-parser`).not.toThrow();
}

describe('Snowflake SQL of every demo spec parses with independent parsers', () => {
  let queries: CompiledQuery[] = [];
  beforeAll(async () => {
    queries = (await compileDemo(PLACEHOLDER_SNOWFLAKE_CONFIG)).queries;
  });

  it('compiles all eight demo specs, every step, in Snowflake spelling', () => {
    // recommendation_carousel declares its assignment scheme and upsell_widget a rank test (ranks and shift bins): three more steps.
    expect(queries).toHaveLength(8 * STEPS.length + 3);
    for (const q of queries) {
      expect(q.sql).toMatch(/^-- exptrack experiment \w+, step \w+/);
      expect(q.sql).toMatch(/'2026-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}'::TIMESTAMP_NTZ/);
      expect(q.sql).not.toMatch(/TIMESTAMP '/);
    }
    expect(queries.some((q) => q.sql.includes('MIN_BY('))).toBe(true);
    expect(queries.some((q) => q.sql.includes("DATEADD('second', "))).toBe(true);
  });

  it('every compiled query is valid Snowflake for both parsers', () => {
    for (const q of queries) expectValidSnowflake(q);
  });

  it('the parsers reject a real syntax error, also near GROUPING SETS', () => {
    const metrics = queries.find((q) => q.sql.includes('GROUPING SETS') && q.sql.includes('COUNT(*) AS units'))!;
    expect(() => parseWithNodeSqlParser(metrics.sql.replace('GROUP BY GROUPING SETS', 'GROUP GROUPING SETS'))).toThrow();
    expect(() => parseWithNodeSqlParser(metrics.sql.replace('COUNT(*) AS units', 'COUNT(*) AS AS units'))).toThrow();
    expect(validate(metrics.sql.replace('COUNT(*) AS units', 'COUNT(*) AS AS units'), 'snowflake').valid).toBe(false);
  });
});

describe('every partial of the contract has a Snowflake spelling that parses', () => {
  it('renders each partial inside a query and both parsers accept it', () => {
    // A probe step that calls every partial of templates/sql/README.md with sample arguments.
    const dir = mkdtempSync(join(tmpdir(), 'exptrack-sf-partials-'));
    mkdirSync(join(dir, 'sql', 'steps'), { recursive: true });
    cpSync(join(REPO_ROOT, 'templates', 'sql', 'default'), join(dir, 'sql', 'default'), { recursive: true });
    cpSync(join(REPO_ROOT, 'templates', 'sql', 'snowflake'), join(dir, 'sql', 'snowflake'), { recursive: true });
    writeFileSync(
      join(dir, 'sql', 'steps', 'probe.sql.hbs'),
      [
        'SELECT',
        '  {{> cast_string value=(col "t" "a")}} AS c1,',
        '  SUM({{> exact_decimal value=(col "t" "amount")}}) AS c2,',
        '  MAX({{> null_timestamp}}) AS c3,',
        '  {{> first_by value=(col "t" "a") order=(col "t" "at")}} AS c4,',
        '  MAX({{> ts_add_seconds ts=(col "t" "at") seconds=-3600}}) AS c5,',
        '  MAX({{> ts_diff_seconds start=(col "t" "at") end=(col "t" "loaded_at")}}) AS c6,',
        '  MIN({{> date_day ts=(col "t" "at")}}) AS c7,',
        '  MAX({{> safe_divide numerator=(col "t" "amount") denominator=(col "t" "n")}}) AS c8,',
        '  SUM({{> to_double value=(col "t" "n")}}) AS c9,',
        '  MIN({{> whole_number value=(col "t" "amount")}}) AS c13,',
        '  {{> percentile value=(col "t" "amount") fraction=0.95}} AS c10,',
        '  MAX({{> hash64 value=(col "t" "a")}}) AS c11,',
        '  {{> xor_agg value=(col "t" "h")}} AS c12',
        'FROM {{table "main.events"}} AS t',
        'GROUP BY {{col "t" "g"}}',
      ].join('\n'),
    );
    const sql = createSqlRenderer(dir, 'snowflake', snowflakeDialect, dir).render('probe', {});
    for (const spelling of [
      'CAST("t"."a" AS VARCHAR)',
      'CAST("t"."amount" AS NUMBER(38, 6))',
      'CAST(NULL AS TIMESTAMP_NTZ)',
      'MIN_BY("t"."a", IFF("t"."a" IS NULL, NULL, "t"."at"))',
      "DATEADD('second', -3600, \"t\".\"at\")",
      "TRUNC(DATEDIFF('microsecond', \"t\".\"at\", \"t\".\"loaded_at\") / 1000000)",
      "CAST(CONVERT_TIMEZONE('UTC', \"t\".\"at\") AS DATE)",
      'NULLIF(CAST("t"."n" AS DOUBLE), 0)',
      'PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY CAST("t"."amount" AS DOUBLE))',
      "TO_NUMBER(UPPER(SUBSTR(MD5(\"t\".\"a\"), 1, 16)), 'XXXXXXXXXXXXXXXX')",
      'CAST(BITXOR_AGG("t"."h") AS VARCHAR)',
      'CAST("t"."amount" AS BIGINT)',
    ]) {
      expect(sql).toContain(spelling);
    }
    expectValidSnowflake({ name: 'partials probe', step: 'probe', sql });
  });
});
