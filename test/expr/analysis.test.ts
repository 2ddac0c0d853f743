import { describe, expect, it } from 'vitest';
import { isBooleanExpression, parseExpression, referencedColumns } from '../../src/expr/index.js';

describe('referencedColumns', () => {
  it('lists every reference in order of appearance with offsets', () => {
    const text = `coalesce(amount, 0) * "unit price" + amount`;
    expect(referencedColumns(parseExpression(text))).toEqual([
      { name: 'amount', offset: 9 },
      { name: 'unit price', offset: 22 },
      { name: 'amount', offset: 37 },
    ]);
  });

  it('walks predicates and CASE in source order', () => {
    const text = 'case when a in (b, 1) then c else d end between e and f';
    const cols = referencedColumns(parseExpression(text));
    expect(cols.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    for (const c of cols) expect(text.slice(c.offset, c.offset + c.name.length)).toBe(c.name);
  });

  it('returns nothing for literal-only expressions and ignores function names', () => {
    expect(referencedColumns(parseExpression("abs(-1) + 2 = 3 or 'x' is null"))).toEqual([]);
  });
});

describe('isBooleanExpression', () => {
  const yes = [
    "event_name = 'order_completed' and coalesce(amount, 0) > 0",
    'not a = 1',
    'a is not null',
    'a in (1, 2)',
    'a between 1 and 2',
    'true',
    'a > 1 or b < 2',
    'case when a > 1 then true else null end',
    'coalesce(a = 1, false)',
  ];
  const no = ['amount', 'amount * quantity', "'yes'", '1', 'null', 'case when a > 1 then 1 else 0 end', 'coalesce(a, 0)', 'lower(name)'];

  it.each(yes)('true for %s', (text) => expect(isBooleanExpression(parseExpression(text))).toBe(true));
  it.each(no)('false for %s', (text) => expect(isBooleanExpression(parseExpression(text))).toBe(false));
});
