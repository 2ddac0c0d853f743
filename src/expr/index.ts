// Public surface of the expression module: parse spec expressions into a
// fixed-grammar AST, inspect them, and re-emit dialect-safe SQL.

export type {
  ArithmeticExpr, ArithmeticOp, BetweenExpr, BooleanExpr, CallExpr, CaseBranch, CaseExpr,
  ColumnExpr, CompareExpr, CompareOp, Expr, FunctionName, InExpr, IsNullExpr, LogicalExpr,
  LogicalOp, NegateExpr, NotExpr, NullExpr, NumberExpr, Span, StringExpr,
} from './ast.js';
export { ExprError } from './expr-error.js';
export { ALLOWED_FUNCTION_NAMES } from './functions.js';
export { MAX_DEPTH, parseExpression } from './parser.js';
export { referencedColumns, isBooleanExpression, type ColumnReference } from './analysis.js';
export { renderExpression, type ExprSqlContext } from './render.js';
