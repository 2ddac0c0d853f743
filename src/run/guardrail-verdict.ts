import type { ComparisonResult, MetricResult } from './results.js';

/**
 * A guardrail is breached when it moved significantly in its harmful direction by more than a tolerance:
 * the relative one (when set) or the absolute one (when set, in the metric's units). The decision and the
 * report's held/breached line both read this, so they never disagree.
 */
export function guardrailBreached(
  m: Pick<MetricResult, 'higherIsBetter' | 'maxRelativeHarm' | 'maxAbsoluteHarm'>,
  c: Pick<ComparisonResult, 'relative' | 'absolute'>,
  alpha: number,
): boolean {
  const harm = m.higherIsBetter ? -c.relative.lift : c.relative.lift;
  const relative = m.maxRelativeHarm !== null && c.relative.ok && c.relative.pValue < alpha && harm > m.maxRelativeHarm;
  const absHarm = m.higherIsBetter ? -c.absolute.lift : c.absolute.lift;
  const absolute = m.maxAbsoluteHarm != null && c.absolute.ok && c.absolute.pValue < alpha && absHarm > m.maxAbsoluteHarm;
  return relative || absolute;
}
