// The function allowlist. Anything not listed here is rejected at parse time:
// an open-ended function call is the easiest way to smuggle side effects
// (sleep, pg_read_file, external functions) or dialect-specific behaviour
// into generated SQL.
//
// Minimum arities are chosen to be valid in every target dialect
// (e.g. Snowflake rejects single-argument COALESCE).

import type { FunctionName } from './ast.js';

export interface FunctionSpec {
  readonly min: number;
  /** Upper bound on arguments; Infinity for variadic functions. */
  readonly max: number;
}

export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  abs: { min: 1, max: 1 },
  ceil: { min: 1, max: 1 },
  coalesce: { min: 2, max: Infinity },
  floor: { min: 1, max: 1 },
  greatest: { min: 2, max: Infinity },
  least: { min: 2, max: Infinity },
  lower: { min: 1, max: 1 },
  round: { min: 1, max: 2 },
  upper: { min: 1, max: 1 },
};

export const ALLOWED_FUNCTION_NAMES: readonly FunctionName[] = (
  Object.keys(FUNCTIONS) as FunctionName[]
).sort();

export function isAllowedFunction(name: string): name is FunctionName {
  // hasOwn, not `in`: '__proto__' / 'constructor' must not count as allowed.
  return Object.hasOwn(FUNCTIONS, name);
}

/** Human wording for an arity rule, e.g. "1 or 2 arguments", "at least 2 arguments". */
export function describeArity(spec: FunctionSpec): string {
  if (spec.max === Infinity) return `at least ${spec.min} arguments`;
  if (spec.min === spec.max) return `exactly ${spec.min} argument${spec.min === 1 ? '' : 's'}`;
  if (spec.max === spec.min + 1) return `${spec.min} or ${spec.max} arguments`;
  return `${spec.min} to ${spec.max} arguments`;
}
