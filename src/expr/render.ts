// Re-emits a parsed expression as SQL.
//
// Security invariant: no text from the spec reaches the output directly.
// Identifiers go through ctx.column, strings through ctx.stringLiteral,
// numbers through ctx.numberLiteral (after re-checking their shape); every
// other character in the output comes from the fixed tables in this file.
// The re-checks matter because an Expr may not come from parseExpression
// (hand-built in code, or deserialized from a cache).

import type { ArithmeticOp, CompareOp, Expr, LogicalOp } from './ast.js';
import { ExprError } from './expr-error.js';
import { isAllowedFunction } from './functions.js';

export interface ExprSqlContext {
  /** Already-quoted, qualified SQL for a column; the caller decides quoting. */
  column(name: string): string;
  /** Dialect-escaped string literal, including its quotes. */
  stringLiteral(s: string): string;
  /** Receives the unsigned numeric token text as validated by the parser. */
  numberLiteral(n: string): string;
  booleanLiteral(b: boolean): string;
}

const ARITHMETIC_SQL: Readonly<Record<ArithmeticOp, string>> = { '+': '+', '-': '-', '*': '*', '/': '/' };
const COMPARE_SQL: Readonly<Record<CompareOp, string>> = {
  '=': '=', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
};
const LOGICAL_SQL: Readonly<Record<LogicalOp, string>> = { AND: 'AND', OR: 'OR' };
// Same shape the lexer accepts; see NUMBER_RE in lexer.ts.
const NUMBER_TEXT_RE = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Render `e` as SQL. Output is deterministic: keywords and function names are
 * upper case, single spaces around operators, and every compound operand is
 * parenthesized except the left side of a left-associative chain at the same
 * level (`a + b - c`, `x AND y AND z`). Leaning on parentheses rather than
 * each dialect's precedence table keeps the meaning identical everywhere.
 */
export function renderExpression(e: Expr, ctx: ExprSqlContext): string {
  const r = (x: Expr): string => renderExpression(x, ctx);
  switch (e.kind) {
    case 'number':
      if (typeof e.text !== 'string' || !NUMBER_TEXT_RE.test(e.text)) throw invalid(e, 'number literal');
      return ctx.numberLiteral(e.text);
    case 'string':
      if (typeof e.value !== 'string') throw invalid(e, 'string literal');
      return ctx.stringLiteral(e.value);
    case 'boolean':
      if (typeof e.value !== 'boolean') throw invalid(e, 'boolean literal');
      return ctx.booleanLiteral(e.value);
    case 'null':
      return 'NULL';
    case 'column':
      if (typeof e.name !== 'string' || e.name === '') throw invalid(e, 'column name');
      return ctx.column(e.name);
    case 'negate': {
      const inner = wrap(e.operand, ctx);
      // Never emit "--": after another minus it would start a SQL comment.
      return inner.startsWith('-') ? `-(${inner})` : `-${inner}`;
    }
    case 'not':
      return `NOT ${wrap(e.operand, ctx)}`;
    case 'arithmetic': {
      const op = lookup(ARITHMETIC_SQL, e.op, e);
      const left = e.left.kind === 'arithmetic' && level(e.left.op) === level(e.op) ? r(e.left) : wrap(e.left, ctx);
      return `${left} ${op} ${wrap(e.right, ctx)}`;
    }
    case 'logical': {
      const op = lookup(LOGICAL_SQL, e.op, e);
      const left = e.left.kind === 'logical' && e.left.op === e.op ? r(e.left) : wrap(e.left, ctx);
      return `${left} ${op} ${wrap(e.right, ctx)}`;
    }
    case 'compare':
      return `${wrap(e.left, ctx)} ${lookup(COMPARE_SQL, e.op, e)} ${wrap(e.right, ctx)}`;
    case 'isNull':
      return `${wrap(e.operand, ctx)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'in':
      if (!Array.isArray(e.items) || e.items.length === 0) throw invalid(e, 'IN list');
      return `${wrap(e.operand, ctx)} ${e.negated ? 'NOT ' : ''}IN (${e.items.map(r).join(', ')})`;
    case 'between':
      return `${wrap(e.operand, ctx)} ${e.negated ? 'NOT ' : ''}BETWEEN ${wrap(e.low, ctx)} AND ${wrap(e.high, ctx)}`;
    case 'case': {
      if (!Array.isArray(e.branches) || e.branches.length === 0) throw invalid(e, 'CASE expression');
      const parts = e.branches.map((b) => `WHEN ${r(b.when)} THEN ${r(b.then)}`);
      if (e.otherwise) parts.push(`ELSE ${r(e.otherwise)}`);
      return `CASE ${parts.join(' ')} END`;
    }
    case 'call':
      if (!isAllowedFunction(e.name)) throw invalid(e, 'function name');
      return `${e.name.toUpperCase()}(${e.args.map(r).join(', ')})`;
    default:
      throw invalid(e as Expr, 'node kind');
  }
}

/** Nodes whose rendering is self-delimiting and never needs parentheses. */
function isAtomic(e: Expr): boolean {
  switch (e.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'column':
    case 'call':
    case 'case':
      return true;
    default:
      return false;
  }
}

function wrap(e: Expr, ctx: ExprSqlContext): string {
  const s = renderExpression(e, ctx);
  return isAtomic(e) ? s : `(${s})`;
}

function level(op: ArithmeticOp): 'additive' | 'multiplicative' {
  return op === '+' || op === '-' ? 'additive' : 'multiplicative';
}

function lookup<K extends string>(table: Readonly<Record<K, string>>, key: K, e: Expr): string {
  if (!Object.hasOwn(table, key)) throw invalid(e, 'operator');
  return table[key];
}

function invalid(e: Expr, what: string): ExprError {
  const offset = typeof e?.offset === 'number' ? e.offset : 0;
  const length = typeof e?.length === 'number' ? e.length : 0;
  return new ExprError(`cannot render expression: invalid ${what} at offset ${offset}`, offset, length);
}
