// AST for metric value/filter expressions.
//
// Every node carries the span (0-based UTF-16 offset + length) of the source
// text it came from, so later stages (column validation, "filter must be
// boolean" checks) can point at the exact spot in the spec author's YAML.
// Nodes are plain readonly data: no methods, so they serialize cleanly.

export interface Span {
  readonly offset: number;
  readonly length: number;
}

export type ArithmeticOp = '+' | '-' | '*' | '/';
// '!=' is normalized to '<>' at parse time: '<>' is the spelling every target
// dialect accepts, and one spelling keeps rendered SQL deterministic.
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type LogicalOp = 'AND' | 'OR';
export type FunctionName =
  | 'abs'
  | 'ceil'
  | 'coalesce'
  | 'floor'
  | 'greatest'
  | 'least'
  | 'lower'
  | 'round'
  | 'upper';

export interface NumberExpr extends Span {
  readonly kind: 'number';
  /** Unsigned numeric token exactly as written (validated shape). */
  readonly text: string;
}
export interface StringExpr extends Span {
  readonly kind: 'string';
  /** Unescaped value ('' already collapsed to '). Never raw SQL. */
  readonly value: string;
}
export interface BooleanExpr extends Span {
  readonly kind: 'boolean';
  readonly value: boolean;
}
export interface NullExpr extends Span {
  readonly kind: 'null';
}
export interface ColumnExpr extends Span {
  readonly kind: 'column';
  /** Unescaped column name ("" already collapsed to "). */
  readonly name: string;
  /** True when written as a double-quoted identifier. */
  readonly quoted: boolean;
}
export interface NegateExpr extends Span {
  readonly kind: 'negate';
  readonly operand: Expr;
}
export interface NotExpr extends Span {
  readonly kind: 'not';
  readonly operand: Expr;
}
export interface ArithmeticExpr extends Span {
  readonly kind: 'arithmetic';
  readonly op: ArithmeticOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface CompareExpr extends Span {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface LogicalExpr extends Span {
  readonly kind: 'logical';
  readonly op: LogicalOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface IsNullExpr extends Span {
  readonly kind: 'isNull';
  readonly operand: Expr;
  readonly negated: boolean;
}
export interface InExpr extends Span {
  readonly kind: 'in';
  readonly operand: Expr;
  readonly items: readonly Expr[];
  readonly negated: boolean;
}
export interface BetweenExpr extends Span {
  readonly kind: 'between';
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
}
export interface CaseBranch {
  readonly when: Expr;
  readonly then: Expr;
}
export interface CaseExpr extends Span {
  readonly kind: 'case';
  readonly branches: readonly CaseBranch[];
  /** ELSE value, or null when the ELSE clause was omitted. */
  readonly otherwise: Expr | null;
}
export interface CallExpr extends Span {
  readonly kind: 'call';
  readonly name: FunctionName;
  readonly args: readonly Expr[];
}

export type Expr =
  | NumberExpr
  | StringExpr
  | BooleanExpr
  | NullExpr
  | ColumnExpr
  | NegateExpr
  | NotExpr
  | ArithmeticExpr
  | CompareExpr
  | LogicalExpr
  | IsNullExpr
  | InExpr
  | BetweenExpr
  | CaseExpr
  | CallExpr;

/** Children in source order; shared by every tree walk so they agree on order. */
export function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'column':
      return [];
    case 'negate':
    case 'not':
    case 'isNull':
      return [e.operand];
    case 'arithmetic':
    case 'compare':
    case 'logical':
      return [e.left, e.right];
    case 'in':
      return [e.operand, ...e.items];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'case': {
      const out: Expr[] = [];
      for (const b of e.branches) out.push(b.when, b.then);
      if (e.otherwise) out.push(e.otherwise);
      return out;
    }
    case 'call':
      return [...e.args];
  }
}
