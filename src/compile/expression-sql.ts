import { renderExpression, type Expr } from '../expr/index.js';
import { qualifiedColumn, type Dialect } from '../warehouse/types.js';
import { SqlFragment } from './sql-fragment.js';

/** A spec expression as SQL over table alias `alias`: every name quoted, every literal escaped by the dialect. */
export function expressionSql(e: Expr, alias: string, dialect: Dialect): SqlFragment {
  return new SqlFragment(
    renderExpression(e, {
      column: (name) => qualifiedColumn(dialect, alias, name),
      stringLiteral: dialect.stringLiteral,
      numberLiteral: dialect.numberLiteral,
      booleanLiteral: dialect.booleanLiteral,
    }),
  );
}

/** Drops blank lines and trailing spaces that block helpers leave, so compiled SQL reads cleanly. */
export function tidySql(sql: string): string {
  return `${sql.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0).join('\n')}\n`;
}
