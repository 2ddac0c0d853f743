// Injection-shaped spec text must either be rejected with a precise position
// or end up inside a literal/identifier produced by the context's quoting.
import { describe, expect, it } from 'vitest';
import { ExprError, parseExpression, referencedColumns } from '../../src/expr/index.js';
import { sql, thrown } from './helpers.js';

function rejected(text: string): ExprError {
  const e = thrown(() => parseExpression(text));
  expect(e).toBeInstanceOf(ExprError);
  return e as ExprError;
}

describe('strings and identifiers carrying SQL', () => {
  it("escapes quotes through ctx.stringLiteral", () => {
    expect(sql("name = 'O''Brien'")).toBe(`"name" = 'O''Brien'`);
  });

  it('renders an injection payload only as a string literal', () => {
    const out = sql("event_name = '''; drop table t; --'");
    expect(out).toBe(`"event_name" = '''; drop table t; --'`);
    const e = parseExpression("event_name = '''; drop table t; --'");
    expect(e).toMatchObject({ kind: 'compare', right: { kind: 'string', value: "'; drop table t; --" } });
  });

  it('passes backslashes through untouched for the dialect context to handle', () => {
    const e = parseExpression(String.raw`a = 'x\'`);
    expect(e).toMatchObject({ right: { kind: 'string', value: 'x\\' } });
  });

  it('keeps hostile quoted identifiers as column names for ctx.column to quote', () => {
    const text = '"a""; drop table t; --" > 0';
    expect(referencedColumns(parseExpression(text))).toEqual([{ name: 'a"; drop table t; --', offset: 0 }]);
    expect(sql(text)).toBe('"a""; drop table t; --" > 0');
  });
});

describe('injection attempts are rejected with offsets', () => {
  const cases: [string, number, string][] = [
    // The stray quote opens a string that never closes.
    ["x'; drop table t; --", 1, 'unterminated string starting at offset 1'],
    ['1; delete from t', 1, "unexpected ';' at offset 1 (only a single expression is allowed)"],
    ['a -- comment', 2, "SQL comments are not allowed: unexpected '--' at offset 2"],
    ['a /* c */ + 1', 2, "SQL comments are not allowed: unexpected '/*' at offset 2"],
    ['a--1', 1, "SQL comments are not allowed: unexpected '--' at offset 1"],
    ['(select 1)', 1, "'select' is not supported at offset 1 (subqueries are not allowed; double-quote it if it is a column name)"],
    ['x in (SELECT id from t)', 6, "'SELECT' is not supported at offset 6 (subqueries are not allowed; double-quote it if it is a column name)"],
    ['exists(1)', 0, "'exists' is not supported at offset 0 (only the documented expression syntax is allowed; double-quote it if it is a column name)"],
    ['`amount` > 0', 0, "unexpected '`' at offset 0"],
    ['sleep(1)', 0, "unknown function 'sleep' at offset 0 (allowed: abs, ceil, coalesce, floor, greatest, least, lower, round, upper)"],
    ['a # comment', 2, "unexpected '#' at offset 2"],
    ['a || b', 2, "unexpected '|' at offset 2"],
    ['$1 + 1', 0, "unexpected '$' at offset 0"],
    ['a::int', 1, "unexpected ':' at offset 1"],
    ['name like \'a%\'', 5, "'like' is not supported at offset 5 (only the documented expression syntax is allowed; double-quote it if it is a column name)"],
    ['a = 1 union select 2', 6, "'union' is not supported at offset 6 (only the documented expression syntax is allowed; double-quote it if it is a column name)"],
    ['a = 1 b', 6, "unexpected 'b' at offset 6"],
  ];

  it.each(cases)('%s', (text, offset, message) => {
    const e = rejected(text);
    expect(e.offset).toBe(offset);
    expect(e.message).toBe(message);
  });

  it('rejects control characters inside strings and shows them escaped', () => {
    const e = rejected("a = 'x\u0000y'");
    expect(e.offset).toBe(6);
    expect(e.message).toBe("control character '\\u0000' not allowed at offset 6");
  });

  it('rejects non-ASCII letters in bare identifiers but accepts them quoted', () => {
    expect(rejected('prix_€ > 1').message).toBe("unexpected '€' at offset 5");
    expect(rejected('café > 1').message).toBe("unexpected 'é' at offset 3 (double-quote column names with non-ASCII letters)");
    expect(sql('"café" > 1')).toBe('"café" > 1');
  });

  it('never echoes raw control characters in messages', () => {
    const e = rejected('a \u001b[31m');
    expect(e.message).toBe("unexpected '\\u001b' at offset 2");
  });
});
