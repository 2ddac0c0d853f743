// Recursive-descent parser for the metric expression grammar.
//
// Precedence, loosest to tightest:
//   OR < AND < NOT < comparison / IS / IN / BETWEEN < + - < * / < unary minus
// Comparison-level operators are non-associative ("a = b = c" is rejected):
// dialects disagree on how such chains group, so we make authors say it.

import type {
  ArithmeticOp, CaseBranch, CompareOp, Expr, FunctionName, LogicalOp,
} from './ast.js';
import { ExprError, quoteSnippet } from './expr-error.js';
import { ALLOWED_FUNCTION_NAMES, FUNCTIONS, describeArity, isAllowedFunction } from './functions.js';
import { RESERVED_WORDS, tokenize, type Token } from './lexer.js';
import { MAX_DEPTH, TokenCursor, tooDeep } from './token-cursor.js';

export { MAX_DEPTH };

const COMPARE_OPS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);

export function parseExpression(text: string): Expr {
  if (typeof text !== 'string') {
    throw new ExprError('expression must be a string', 0, 0);
  }
  const tokens = tokenize(text);
  if (tokens.length === 1) {
    throw new ExprError('expression is empty', 0, text.length);
  }
  return new Parser(text, tokens).parseAll();
}

class Parser extends TokenCursor {
  private depth = 0;

  parseAll(): Expr {
    const e = this.parseExpr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return e;
  }

  /** Entry point for every nested full expression (parens, args, lists, CASE). */
  private parseExpr(): Expr {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      throw tooDeep(t.offset, t.length);
    }
    try {
      return this.parseOr();
    } finally {
      this.depth--;
    }
  }

  private parseOr(): Expr {
    return this.parseLogical('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseLogical('and', () => this.parseNot());
  }

  private parseLogical(word: 'and' | 'or', operand: () => Expr): Expr {
    let left = operand();
    while (this.isKeyword(word)) {
      this.advance();
      const right = operand();
      const op = word.toUpperCase() as LogicalOp;
      left = this.make({ kind: 'logical', op, left, right, ...this.spanFrom(left.offset) });
    }
    return left;
  }

  private parseNot(): Expr {
    // Iterative so "NOT NOT NOT ..." can't recurse past MAX_DEPTH unchecked.
    const nots: Token[] = [];
    while (this.isKeyword('not')) nots.push(this.advance());
    let e = this.parseComparison();
    for (let i = nots.length - 1; i >= 0; i--) {
      e = this.make({ kind: 'not', operand: e, ...this.spanFrom(nots[i].offset) });
    }
    return e;
  }

  private startsPredicate(): boolean {
    const t = this.peek();
    if (t.kind === 'op') return COMPARE_OPS.has(t.value);
    if (this.isKeyword('is') || this.isKeyword('in') || this.isKeyword('between')) return true;
    return this.isKeyword('not') && (this.isKeyword('in', 1) || this.isKeyword('between', 1));
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    if (!this.startsPredicate()) return left;
    const result = this.parsePredicate(left);
    if (this.startsPredicate()) {
      const t = this.peek();
      throw new ExprError(
        `comparisons cannot be chained: unexpected ${this.describe(t)} at offset ${t.offset} (add parentheses)`,
        t.offset,
        t.length,
      );
    }
    return result;
  }

  private parsePredicate(left: Expr): Expr {
    const t = this.peek();
    if (t.kind === 'op') {
      this.advance();
      const right = this.parseAdditive();
      const op = t.value as CompareOp;
      return this.make({ kind: 'compare', op, left, right, ...this.spanFrom(left.offset) });
    }
    if (this.isKeyword('is')) {
      this.advance();
      const negated = this.isKeyword('not');
      if (negated) this.advance();
      this.expectKeyword('null', `after IS${negated ? ' NOT' : ''}`);
      return this.make({ kind: 'isNull', operand: left, negated, ...this.spanFrom(left.offset) });
    }
    const negated = this.isKeyword('not');
    if (negated) this.advance();
    if (this.isKeyword('in')) {
      this.advance();
      const open = this.expectKind('lparen', "'(' after IN");
      const close = this.peek();
      if (close.kind === 'rparen') {
        throw new ExprError(`IN list cannot be empty at offset ${open.offset}`, open.offset, close.offset + 1 - open.offset);
      }
      const items = this.parseList(open, 'IN list');
      return this.make({ kind: 'in', operand: left, items, negated, ...this.spanFrom(left.offset) });
    }
    // startsPredicate() guarantees BETWEEN here. Bounds are parsed at additive
    // level so the AND separating them isn't taken as a logical AND.
    this.expectKeyword('between', 'here');
    const low = this.parseAdditive();
    this.expectKeyword('and', 'between BETWEEN bounds');
    const high = this.parseAdditive();
    return this.make({ kind: 'between', operand: left, low, high, negated, ...this.spanFrom(left.offset) });
  }

  /** Comma-separated expressions after an already-consumed '(' up to ')'. */
  private parseList(open: Token, what: string): Expr[] {
    const items = [this.parseExpr()];
    while (this.peek().kind === 'comma') {
      this.advance();
      items.push(this.parseExpr());
    }
    this.expectKind('rparen', `',' or ')' to close the ${what} opened at offset ${open.offset}`);
    return items;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp(this.peek(), '+', '-')) {
      const op = this.advance().value as ArithmeticOp;
      const right = this.parseMultiplicative();
      left = this.make({ kind: 'arithmetic', op, left, right, ...this.spanFrom(left.offset) });
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isOp(this.peek(), '*', '/')) {
      const op = this.advance().value as ArithmeticOp;
      const right = this.parseUnary();
      left = this.make({ kind: 'arithmetic', op, left, right, ...this.spanFrom(left.offset) });
    }
    return left;
  }

  private parseUnary(): Expr {
    const minuses: Token[] = [];
    while (this.isOp(this.peek(), '-')) minuses.push(this.advance());
    let e = this.parsePrimary();
    for (let i = minuses.length - 1; i >= 0; i--) {
      e = this.make({ kind: 'negate', operand: e, ...this.spanFrom(minuses[i].offset) });
    }
    return e;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.advance();
        return this.make({ kind: 'number', text: t.value, offset: t.offset, length: t.length });
      case 'string':
        this.advance();
        return this.make({ kind: 'string', value: t.value, offset: t.offset, length: t.length });
      case 'quotedIdent':
        this.advance();
        return this.make({ kind: 'column', name: t.value, quoted: true, offset: t.offset, length: t.length });
      case 'ident':
        return this.parseIdentifier();
      case 'lparen': {
        this.advance();
        const inner = this.parseExpr();
        this.expectKind('rparen', `')' to close '(' at offset ${t.offset}`);
        // Widen the span to include the parentheses so an enclosing node's
        // span covers the text the author actually wrote.
        return this.make({ ...inner, ...this.spanFrom(t.offset) });
      }
      case 'keyword':
        if (t.value === 'true' || t.value === 'false') {
          this.advance();
          return this.make({ kind: 'boolean', value: t.value === 'true', offset: t.offset, length: t.length });
        }
        if (t.value === 'null') {
          this.advance();
          return this.make({ kind: 'null', offset: t.offset, length: t.length });
        }
        if (t.value === 'case') return this.parseCase();
        throw this.unexpected(t, 'a value');
      default:
        throw this.unexpected(t, 'a value');
    }
  }

  private parseIdentifier(): Expr {
    const t = this.advance();
    const lower = t.value.toLowerCase();
    if (RESERVED_WORDS.has(lower)) throw this.reservedWord(t);
    if (this.peek().kind !== 'lparen') {
      return this.make({ kind: 'column', name: t.value, quoted: false, offset: t.offset, length: t.length });
    }
    if (!isAllowedFunction(lower)) {
      throw new ExprError(
        `unknown function ${quoteSnippet(t.value)} at offset ${t.offset} (allowed: ${ALLOWED_FUNCTION_NAMES.join(', ')})`,
        t.offset,
        t.length,
      );
    }
    const open = this.advance();
    const args = this.peek().kind === 'rparen' ? (this.advance(), []) : this.parseList(open, 'argument list');
    const name: FunctionName = lower;
    const spec = FUNCTIONS[name];
    const span = this.spanFrom(t.offset);
    if (args.length < spec.min || args.length > spec.max) {
      throw new ExprError(
        `function '${name}' takes ${describeArity(spec)}, got ${args.length} at offset ${t.offset}`,
        span.offset,
        span.length,
      );
    }
    return this.make({ kind: 'call', name, args, ...span });
  }

  private parseCase(): Expr {
    const start = this.advance();
    if (!this.isKeyword('when')) throw this.unexpected(this.peek(), 'WHEN after CASE');
    const branches: CaseBranch[] = [];
    while (this.isKeyword('when')) {
      this.advance();
      const when = this.parseExpr();
      this.expectKeyword('then', 'after the WHEN condition');
      branches.push({ when, then: this.parseExpr() });
    }
    let otherwise: Expr | null = null;
    if (this.isKeyword('else')) {
      this.advance();
      otherwise = this.parseExpr();
    }
    this.expectKeyword('end', `to close CASE at offset ${start.offset}`);
    return this.make({ kind: 'case', branches, otherwise, ...this.spanFrom(start.offset) });
  }
}
