// Shared test context: ANSI-style quoting so expected SQL is easy to read.
import type { ExprSqlContext } from '../../src/expr/index.js';
import { parseExpression, renderExpression } from '../../src/expr/index.js';

export const ansiCtx: ExprSqlContext = {
  column: (name) => `"${name.replace(/"/g, '""')}"`,
  stringLiteral: (s) => `'${s.replace(/'/g, "''")}'`,
  numberLiteral: (n) => n,
  booleanLiteral: (b) => (b ? 'TRUE' : 'FALSE'),
};

export function sql(text: string): string {
  return renderExpression(parseExpression(text), ansiCtx);
}

/** Run `fn` and return the thrown error (fails the test if nothing is thrown). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error to be thrown');
}
