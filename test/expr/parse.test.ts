import { describe, expect, it } from 'vitest';
import { ExprError, MAX_DEPTH, parseExpression, type Expr } from '../../src/expr/index.js';
import { thrown } from './helpers.js';

function parseError(text: string): ExprError {
  const e = thrown(() => parseExpression(text));
  expect(e).toBeInstanceOf(ExprError);
  return e as ExprError;
}

/** Compact S-expression view of the tree, to assert structure without spans. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'number': return e.text;
    case 'string': return `'${e.value}'`;
    case 'boolean': return String(e.value);
    case 'null': return 'null';
    case 'column': return e.name;
    case 'negate': return `(neg ${shape(e.operand)})`;
    case 'not': return `(not ${shape(e.operand)})`;
    case 'arithmetic':
    case 'compare':
    case 'logical': return `(${e.op} ${shape(e.left)} ${shape(e.right)})`;
    case 'isNull': return `(${e.negated ? 'notnull' : 'isnull'} ${shape(e.operand)})`;
    case 'in': return `(${e.negated ? 'notin' : 'in'} ${shape(e.operand)} ${e.items.map(shape).join(' ')})`;
    case 'between': return `(${e.negated ? 'notbetween' : 'between'} ${shape(e.operand)} ${shape(e.low)} ${shape(e.high)})`;
    case 'case': return `(case ${e.branches.map((b) => `${shape(b.when)}->${shape(b.then)}`).join(' ')}${e.otherwise ? ` else ${shape(e.otherwise)}` : ''})`;
    case 'call': return `(${e.name} ${e.args.map(shape).join(' ')})`;
  }
}
const p = (text: string) => shape(parseExpression(text));

describe('parseExpression: literals and names', () => {
  it('parses numbers in integer, decimal and exponent forms, keeping the token text', () => {
    expect(p('42')).toBe('42');
    expect(p('3.25')).toBe('3.25');
    expect(p('.5')).toBe('.5');
    expect(p('1e6')).toBe('1e6');
    expect(p('2.5E-3')).toBe('2.5E-3');
  });

  it("unescapes '' inside strings", () => {
    expect(parseExpression("'it''s'")).toMatchObject({ kind: 'string', value: "it's", offset: 0, length: 7 });
    expect(parseExpression("''")).toMatchObject({ kind: 'string', value: '' });
  });

  it('treats true/false/null and keywords case-insensitively', () => {
    expect(p('TRUE')).toBe('true');
    expect(p('False')).toBe('false');
    expect(p('a Is NoT nUlL')).toBe('(notnull a)');
    expect(p('x AnD y oR z')).toBe('(OR (AND x y) z)');
  });

  it('parses bare and double-quoted identifiers', () => {
    expect(parseExpression('user_id')).toMatchObject({ kind: 'column', name: 'user_id', quoted: false });
    expect(parseExpression('"order total"')).toMatchObject({ kind: 'column', name: 'order total', quoted: true, length: 13 });
    expect(parseExpression('"say ""hi"""')).toMatchObject({ kind: 'column', name: 'say "hi"' });
    // Keywords and reserved words are usable as column names when quoted.
    expect(parseExpression('"select"')).toMatchObject({ kind: 'column', name: 'select' });
    expect(parseExpression('"end"')).toMatchObject({ kind: 'column', name: 'end' });
  });
});

describe('parseExpression: precedence', () => {
  it('binds * / tighter than + -, left-associatively', () => {
    expect(p('a + b * c')).toBe('(+ a (* b c))');
    expect(p('(a + b) * c')).toBe('(* (+ a b) c)');
    expect(p('a - b - c')).toBe('(- (- a b) c)');
    expect(p('a / b * c')).toBe('(* (/ a b) c)');
  });

  it('binds unary minus tightest', () => {
    expect(p('-a * b')).toBe('(* (neg a) b)');
    expect(p('- -a')).toBe('(neg (neg a))');
    expect(p('a - -1')).toBe('(- a (neg 1))');
  });

  it('orders OR < AND < NOT < comparison < arithmetic', () => {
    expect(p('a = 1 or b = 2 and c = 3')).toBe('(OR (= a 1) (AND (= b 2) (= c 3)))');
    expect(p('not a = 1 and b')).toBe('(AND (not (= a 1)) b)');
    expect(p('a + 1 > b * 2')).toBe('(> (+ a 1) (* b 2))');
    expect(p('a + b is null')).toBe('(isnull (+ a b))');
  });

  it("normalizes != to <>", () => {
    expect(p('a != 1')).toBe('(<> a 1)');
    expect(p('a <> 1')).toBe('(<> a 1)');
  });

  it('keeps the AND inside BETWEEN separate from logical AND', () => {
    expect(p('x between 1 and 2 and y = 3')).toBe('(AND (between x 1 2) (= y 3))');
    expect(p('x not between a + 1 and b * 2')).toBe('(notbetween x (+ a 1) (* b 2))');
  });

  it('parses IN / NOT IN lists of expressions', () => {
    expect(p("country in ('US', 'CA')")).toBe("(in country 'US' 'CA')");
    expect(p('x not in (1, 2 + 3)')).toBe('(notin x 1 (+ 2 3))');
  });

  it('parses searched CASE with and without ELSE', () => {
    expect(p("case when a > 0 then 'pos' when a < 0 then 'neg' else 'zero' end")).toBe(
      "(case (> a 0)->'pos' (< a 0)->'neg' else 'zero')",
    );
    expect(p('CASE WHEN flag = true THEN amount END')).toBe('(case (= flag true)->amount)');
  });

  it('parses allowlisted functions case-insensitively', () => {
    expect(p('COALESCE(amount, 0) * quantity')).toBe('(* (coalesce amount 0) quantity)');
    expect(p('round(x / 3, 2)')).toBe('(round (/ x 3) 2)');
    expect(p('greatest(a, b, c)')).toBe('(greatest a b c)');
    expect(p('abs(-x)')).toBe('(abs (neg x))');
  });

  it('widens spans over parentheses', () => {
    const e = parseExpression(' (a + b) * c');
    expect(e).toMatchObject({ kind: 'arithmetic', op: '*', offset: 1, length: 11 });
    expect((e as Extract<Expr, { kind: 'arithmetic' }>).left).toMatchObject({ offset: 1, length: 7 });
  });
});

describe('parseExpression: errors', () => {
  it('rejects an empty or blank expression', () => {
    expect(parseError('')).toMatchObject({ message: 'expression is empty', offset: 0 });
    expect(parseError('   \n')).toMatchObject({ message: 'expression is empty', offset: 0 });
  });

  it('reports an unterminated string at its opening quote', () => {
    const e = parseError("event_name = 'order");
    expect(e.offset).toBe(13);
    expect(e.length).toBe(6);
    expect(e.message).toBe('unterminated string starting at offset 13');
  });

  it('reports unterminated and empty quoted identifiers', () => {
    expect(parseError('a + "order total')).toMatchObject({ offset: 4, message: 'unterminated quoted identifier starting at offset 4' });
    expect(parseError('a + ""')).toMatchObject({ offset: 4, message: 'empty quoted identifier at offset 4' });
  });

  it('names the allowlist for unknown functions', () => {
    const e = parseError('amount + pg_sleep(10)');
    expect(e.offset).toBe(9);
    expect(e.message).toBe(
      "unknown function 'pg_sleep' at offset 9 (allowed: abs, ceil, coalesce, floor, greatest, least, lower, round, upper)",
    );
  });

  it('does not treat Object.prototype names as functions', () => {
    expect(parseError('constructor(1)').message).toMatch(/^unknown function 'constructor'/);
    expect(parseError('__proto__(1)').message).toMatch(/^unknown function '__proto__'/);
  });

  it('checks argument counts', () => {
    expect(parseError('abs(a, b)')).toMatchObject({ offset: 0, length: 9, message: "function 'abs' takes exactly 1 argument, got 2 at offset 0" });
    expect(parseError('x + round()').message).toBe("function 'round' takes 1 or 2 arguments, got 0 at offset 4");
    expect(parseError('coalesce(a)').message).toBe("function 'coalesce' takes at least 2 arguments, got 1 at offset 0");
  });

  it('rejects malformed numbers', () => {
    expect(parseError('1abc')).toMatchObject({ offset: 0, length: 4, message: "malformed number '1abc' at offset 0" });
    expect(parseError('x > 1.')).toMatchObject({ offset: 4, message: "malformed number '1.' at offset 4" });
    expect(parseError('1.2.3').message).toBe("malformed number '1.2.3' at offset 0");
    expect(parseError('0x1F').message).toBe("malformed number '0x1F' at offset 0");
    expect(parseError('2e').message).toBe("malformed number '2e' at offset 0");
  });

  it('rejects chained comparisons and incomplete predicates', () => {
    expect(parseError('a = b = c')).toMatchObject({ offset: 6, message: "comparisons cannot be chained: unexpected '=' at offset 6 (add parentheses)" });
    expect(parseError('a is null is null').offset).toBe(10);
    expect(parseError('a is 1')).toMatchObject({ offset: 5, message: "unexpected '1' at offset 5 (expected NULL after IS)" });
    expect(parseError('a in ()')).toMatchObject({ offset: 5, length: 2, message: 'IN list cannot be empty at offset 5' });
    expect(parseError('a in ( )')).toMatchObject({ offset: 5, length: 3 });
    expect(parseError('a in 1, 2').message).toBe("unexpected '1' at offset 5 (expected '(' after IN)");
    expect(parseError('a between 1 or 2').message).toBe("unexpected 'or' at offset 12 (expected AND between BETWEEN bounds)");
  });

  it('reports missing closers with the opening position', () => {
    expect(parseError('(a + b')).toMatchObject({ offset: 6, length: 0, message: "unexpected end of expression at offset 6 (expected ')' to close '(' at offset 0)" });
    expect(parseError('case when a then 1').message).toBe('unexpected end of expression at offset 18 (expected END to close CASE at offset 0)');
    expect(parseError('case a when 1 then 2 end').message).toBe("unexpected 'a' at offset 5 (expected WHEN after CASE)");
    expect(parseError('a +').message).toBe('unexpected end of expression at offset 3 (expected a value)');
    expect(parseError('a b')).toMatchObject({ offset: 2, message: "unexpected 'b' at offset 2" });
  });

  it('rejects qualified names and unary plus', () => {
    expect(parseError('t.amount').message).toBe("unexpected '.' at offset 1 (qualified names are not supported; write the bare column name)");
    expect(parseError('+1').message).toBe("unexpected '+' at offset 0 (expected a value)");
  });

  it('fails cleanly, not with a stack overflow, on very deep input', () => {
    const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
    expect(parseError(deep).message).toMatch(/nested too deeply/);
    const longChain = Array.from({ length: MAX_DEPTH + 5 }, (_, i) => `c${i}`).join(' + ');
    expect(parseError(longChain).message).toMatch(/nested too deeply/);
    expect(parseError('not '.repeat(MAX_DEPTH + 5) + 'a').message).toMatch(/nested too deeply/);
    expect(parseError('- '.repeat(MAX_DEPTH + 5) + 'a').message).toMatch(/nested too deeply/);
    // Long flat IN lists are fine: they don't add depth.
    const list = Array.from({ length: 2000 }, (_, i) => String(i)).join(', ');
    expect(parseExpression(`x in (${list})`)).toMatchObject({ kind: 'in' });
  });
});
