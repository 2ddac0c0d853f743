// Token-stream plumbing for the parser: lookahead, consumption, span
// bookkeeping and error construction. Kept apart from the grammar rules so the
// grammar file reads as the grammar.

import { childrenOf, type Expr, type Span } from './ast.js';
import { ExprError, quoteSnippet } from './expr-error.js';
import { RESERVED_WORDS, type Token } from './lexer.js';

// Bounds both parser recursion (nested parentheses, calls) and tree height
// (long operator chains), so hostile input yields an ExprError instead of a
// stack overflow in the parser or in later tree walks such as rendering.
export const MAX_DEPTH = 256;

export function tooDeep(offset: number, length: number): ExprError {
  return new ExprError(
    `expression is nested too deeply (more than ${MAX_DEPTH} levels) at offset ${offset}`,
    offset,
    length,
  );
}

export abstract class TokenCursor {
  private pos = 0;
  /** End offset of the most recently consumed token; closes node spans. */
  private prevEnd = 0;
  private readonly heights = new WeakMap<Expr, number>();

  constructor(
    protected readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  protected advance(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    this.prevEnd = t.offset + t.length;
    return t;
  }

  protected isKeyword(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'keyword' && t.value === word;
  }

  protected isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'op' && ops.includes(t.value);
  }

  protected expectKeyword(word: string, context: string): Token {
    if (!this.isKeyword(word)) throw this.unexpected(this.peek(), `${word.toUpperCase()} ${context}`);
    return this.advance();
  }

  protected expectKind(kind: Token['kind'], expected: string): Token {
    const t = this.peek();
    if (t.kind !== kind) throw this.unexpected(t, expected);
    return this.advance();
  }

  protected describe(t: Token): string {
    if (t.kind === 'eof') return 'end of expression';
    return quoteSnippet(this.text.slice(t.offset, t.offset + t.length));
  }

  protected unexpected(t: Token, expected?: string): ExprError {
    // "a = 1 union select 2", "name like 'x'": say why, not just "unexpected".
    if (t.kind === 'ident' && RESERVED_WORDS.has(t.value.toLowerCase())) return this.reservedWord(t);
    const where = t.kind === 'eof' ? `end of expression at offset ${t.offset}` : `${this.describe(t)} at offset ${t.offset}`;
    return new ExprError(`unexpected ${where}${expected ? ` (expected ${expected})` : ''}`, t.offset, t.length);
  }

  protected reservedWord(t: Token): ExprError {
    const why = t.value.toLowerCase() === 'select' ? 'subqueries are not allowed' : 'only the documented expression syntax is allowed';
    return new ExprError(
      `${quoteSnippet(t.value)} is not supported at offset ${t.offset} (${why}; double-quote it if it is a column name)`,
      t.offset,
      t.length,
    );
  }

  /** Register a node, enforcing the tree-height bound. */
  protected make<T extends Expr>(node: T): T {
    let h = 0;
    for (const c of childrenOf(node)) h = Math.max(h, this.heights.get(c) ?? 0);
    h += 1;
    if (h > MAX_DEPTH) throw tooDeep(node.offset, node.length);
    this.heights.set(node, h);
    return node;
  }

  protected spanFrom(offset: number): Span {
    return { offset, length: this.prevEnd - offset };
  }
}
