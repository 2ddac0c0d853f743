// Read-only queries over a parsed expression, used by spec validation.

import { childrenOf, type Expr } from './ast.js';

export interface ColumnReference {
  readonly name: string;
  /** 0-based offset of the reference (the opening quote for "quoted" names). */
  readonly offset: number;
}

/**
 * Every column reference in source order, duplicates included, so each
 * unknown-column diagnostic can point at the exact occurrence.
 */
export function referencedColumns(e: Expr): ColumnReference[] {
  const out: ColumnReference[] = [];
  const visit = (node: Expr): void => {
    if (node.kind === 'column') out.push({ name: node.name, offset: node.offset });
    for (const c of childrenOf(node)) visit(c);
  };
  visit(e);
  return out;
}

/**
 * Best-effort check that an expression yields a boolean, used to reject
 * `filter: "amount"`. Column types aren't known here, so a bare column is
 * "not boolean": authors write `is_test = true` rather than `is_test`.
 */
export function isBooleanExpression(e: Expr): boolean {
  switch (e.kind) {
    case 'compare':
    case 'logical':
    case 'not':
    case 'isNull':
    case 'in':
    case 'between':
    case 'boolean':
      return true;
    case 'case': {
      const results = e.branches.map((b) => b.then);
      if (e.otherwise) results.push(e.otherwise);
      return allBooleanOrNull(results);
    }
    case 'call':
      return e.name === 'coalesce' && allBooleanOrNull(e.args);
    default:
      return false;
  }
}

/** True when every value is boolean or NULL and at least one is boolean. */
function allBooleanOrNull(values: readonly Expr[]): boolean {
  return values.every((v) => v.kind === 'null' || isBooleanExpression(v)) && values.some((v) => v.kind !== 'null');
}
