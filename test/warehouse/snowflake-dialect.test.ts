// Snowflake quoting: identifiers double-quoted, strings with both `\` and `'` escaped (a backslash
// is an escape character in Snowflake strings). A literal must stay one literal whatever the text:
// checked with node-sql-parser's Snowflake grammar (one string token, the rest of the query intact)
// and by value, through the fake's independent translation to DuckDB.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import nodeSqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflakeDialect as d } from '../../src/warehouse/snowflake/dialect.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';

const TRICKY = ["it's", 'back\\slash', "\\' OR 1=1 --", 'ends with a backslash\\', "''", "\\\\''", '"quoted"', 'ünïcödé ✓'];

describe('snowflake dialect', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });

  it('quotes identifiers and each part of a table reference', () => {
    expect(d.quoteIdentifier('we"ird')).toBe('"we""ird"');
    expect(d.quoteTable('analytics.events.web_events')).toBe('"analytics"."events"."web_events"');
  });

  it('spells timestamps as UTC wall-clock TIMESTAMP_NTZ casts', () => {
    expect(d.timestampLiteral('2026-10-04T14:34:56.789+02:00')).toBe("'2026-10-04 12:34:56.789'::TIMESTAMP_NTZ");
  });

  it.each(TRICKY)('keeps %j one string literal', async (text) => {
    const lit = d.stringLiteral(text);
    const ast = new nodeSqlParser.Parser().astify(`SELECT ${lit} AS v FROM t WHERE x = 1`, { database: 'snowflake' }) as unknown as {
      columns: { expr: { type: string } }[];
      where: { type: string; operator: string };
    };
    expect(ast.columns).toHaveLength(1);
    expect(ast.columns[0].expr.type).toBe('single_quote_string');
    expect(ast.where).toMatchObject({ type: 'binary_expr', operator: '=' });
    const result = await runOnDuckdb(connection, `SELECT ${lit} AS v`);
    expect(result.rows).toEqual([[text]]);
  });

  it('refuses control characters in literals', () => {
    expect(() => d.stringLiteral('line\nbreak')).toThrow(/control character/);
  });
});
