import { describe, expect, it, vi } from 'vitest';
import { ExprError, parseExpression, renderExpression, type Expr, type ExprSqlContext } from '../../src/expr/index.js';
import { ansiCtx, sql, thrown } from './helpers.js';

describe('renderExpression: precedence', () => {
  it('parenthesizes by tree structure, not by source text', () => {
    expect(sql('a + b * c')).toBe('"a" + ("b" * "c")');
    expect(sql('(a + b) * c')).toBe('("a" + "b") * "c"');
    expect(sql('a * (b + c)')).toBe('"a" * ("b" + "c")');
    expect(sql('a - (b - c)')).toBe('"a" - ("b" - "c")');
  });

  it('leaves left-associative chains at one level unparenthesized', () => {
    expect(sql('a + b - c')).toBe('"a" + "b" - "c"');
    expect(sql('a / b * c')).toBe('"a" / "b" * "c"');
    expect(sql('a = 1 and b = 2 and c = 3')).toBe('("a" = 1) AND ("b" = 2) AND ("c" = 3)');
    expect(sql('a = 1 or b = 2 and c = 3')).toBe('("a" = 1) OR (("b" = 2) AND ("c" = 3))');
  });

  it('drops redundant source parentheses and normalizes spacing and case', () => {
    expect(sql('((a))+((1))')).toBe('"a" + 1');
    expect(sql('a!=1')).toBe('"a" <> 1');
    expect(sql('not(a=1)')).toBe('NOT ("a" = 1)');
    expect(sql('NOT flag_a OR flag_b')).toBe('(NOT "flag_a") OR "flag_b"');
  });

  it('renders unary minus without ever producing "--"', () => {
    expect(sql('-a * b')).toBe('(-"a") * "b"');
    expect(sql('a - -1')).toBe('"a" - (-1)');
    expect(sql('- -a')).toBe('-(-"a")');
    expect(sql('-(a + b)')).toBe('-("a" + "b")');
    // Even a context whose output starts with '-' can't form a comment.
    const odd: ExprSqlContext = { ...ansiCtx, numberLiteral: (n) => `-${n}` };
    expect(renderExpression(parseExpression('-1'), odd)).toBe('-(-1)');
  });
});

describe('renderExpression: constructs', () => {
  it('renders IS [NOT] NULL, [NOT] IN and [NOT] BETWEEN', () => {
    expect(sql('refunded_at is not null')).toBe('"refunded_at" IS NOT NULL');
    expect(sql('a + b is null')).toBe('("a" + "b") IS NULL');
    expect(sql("country not in ('US', 'CA')")).toBe(`"country" NOT IN ('US', 'CA')`);
    expect(sql('x in (1, y + 1)')).toBe('"x" IN (1, "y" + 1)');
    expect(sql('amount between 10 and 100')).toBe('"amount" BETWEEN 10 AND 100');
    expect(sql('amount not between -1 and a * 2')).toBe('"amount" NOT BETWEEN (-1) AND ("a" * 2)');
  });

  it('renders CASE', () => {
    expect(sql("case when amount > 100 then 'big' when amount > 10 then 'mid' else 'small' end")).toBe(
      `CASE WHEN "amount" > 100 THEN 'big' WHEN "amount" > 10 THEN 'mid' ELSE 'small' END`,
    );
    expect(sql('case when a then 1 end * 2')).toBe('CASE WHEN "a" THEN 1 END * 2');
  });

  it('renders allowlisted functions upper case', () => {
    expect(sql('coalesce(amount, 0) * quantity')).toBe('COALESCE("amount", 0) * "quantity"');
    expect(sql('Round(x, 2) + ceil(y) - floor(z)')).toBe('ROUND("x", 2) + CEIL("y") - FLOOR("z")');
    expect(sql('lower(a) = upper(b)')).toBe('LOWER("a") = UPPER("b")');
  });

  it('renders literals through the context', () => {
    expect(sql('true or false')).toBe('TRUE OR FALSE');
    expect(sql('a = null')).toBe('"a" = NULL');
    expect(sql('x * 2.5E-3')).toBe('"x" * 2.5E-3');
  });

  it('routes every identifier, string, number and boolean through the context', () => {
    const ctx: ExprSqlContext = {
      column: vi.fn((n: string) => `C[${n}]`),
      stringLiteral: vi.fn((s: string) => `S[${s}]`),
      numberLiteral: vi.fn((n: string) => `N[${n}]`),
      booleanLiteral: vi.fn((b: boolean) => `B[${b}]`),
    };
    const out = renderExpression(parseExpression(`"my col" = 'v' and n > 1.5 or f = true`), ctx);
    expect(out).toBe('((C[my col] = S[v]) AND (C[n] > N[1.5])) OR (C[f] = B[true])');
    expect(ctx.column).toHaveBeenCalledTimes(3);
  });

  it('lets the caller qualify columns', () => {
    const ctx: ExprSqlContext = { ...ansiCtx, column: (n) => `"e"."${n.replace(/"/g, '""')}"` };
    expect(renderExpression(parseExpression('"unit price" * qty'), ctx)).toBe('"e"."unit price" * "e"."qty"');
  });

  it('is deterministic', () => {
    const text = "coalesce(a, 0) > 1 and b not in ('x', 'y') or c is null";
    const e = parseExpression(text);
    expect(renderExpression(e, ansiCtx)).toBe(renderExpression(parseExpression(text), ansiCtx));
    expect(renderExpression(e, ansiCtx)).toBe(
      `((COALESCE("a", 0) > 1) AND ("b" NOT IN ('x', 'y'))) OR ("c" IS NULL)`,
    );
  });
});

describe('renderExpression: hand-built trees are re-checked', () => {
  const span = { offset: 0, length: 1 };
  const bad = (e: unknown) => thrown(() => renderExpression(e as Expr, ansiCtx));

  it('rejects a number node whose text is not a number', () => {
    expect(bad({ kind: 'number', text: '1; drop table t', ...span })).toBeInstanceOf(ExprError);
    expect(bad({ kind: 'number', text: '-1', ...span })).toBeInstanceOf(ExprError);
  });

  it('rejects non-allowlisted functions, unknown operators and unknown kinds', () => {
    const one = { kind: 'number', text: '1', ...span };
    expect(bad({ kind: 'call', name: 'pg_sleep', args: [one], ...span })).toBeInstanceOf(ExprError);
    expect(bad({ kind: 'arithmetic', op: '||', left: one, right: one, ...span })).toBeInstanceOf(ExprError);
    expect(bad({ kind: 'compare', op: '= 1; --', left: one, right: one, ...span })).toBeInstanceOf(ExprError);
    expect(bad({ kind: 'raw', sql: 'drop table t', ...span })).toBeInstanceOf(ExprError);
    expect(bad({ kind: 'in', operand: one, items: [], negated: false, ...span })).toBeInstanceOf(ExprError);
  });
});
