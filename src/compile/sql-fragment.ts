/**
 * SQL produced by a dialect helper. Templates may only splice text of this type, so spec text
 * cannot reach SQL without passing through quoting or escaping.
 */
export class SqlFragment {
  constructor(readonly sql: string) {}
  toString(): string {
    return this.sql;
  }
}
