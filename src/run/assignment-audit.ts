import type { AssignmentAudit } from '../../checks/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Row } from '../warehouse/types.js';

/** The assignment step's rows (units per logged and expected variant) -> the audit the check reads. */
export function assignmentAudit(exp: ResolvedExperiment, rows: Row[] | undefined): AssignmentAudit | null {
  if (!exp.assignment || !rows) return null;
  let auditedUnits = 0;
  const mismatches: AssignmentAudit['mismatches'] = [];
  for (const r of rows) {
    const units = Number(r.units ?? 0);
    auditedUnits += units;
    const logged = r.variant === null ? '(null)' : String(r.variant);
    const expected = r.expected_variant === null ? '(none)' : String(r.expected_variant);
    if (logged !== expected) mismatches.push({ logged, expected, units });
  }
  return { scheme: exp.assignment.scheme, auditedUnits, mismatchedUnits: mismatches.reduce((a, m) => a + m.units, 0), mismatches };
}
