import type { ComparisonResult, MetricResult } from './results.js';

/**
 * A guardrail is breached when its relative change is significantly in the harmful direction and
 * beyond the tolerated harm. One definition, read by the decision and by the report's guardrail lines.
 */
export function guardrailBreached(m: Pick<MetricResult, 'higherIsBetter' | 'maxRelativeHarm'>, c: Pick<ComparisonResult, 'relative'>, alpha: number): boolean {
  const harm = m.higherIsBetter ? -c.relative.lift : c.relative.lift;
  return c.relative.ok && c.relative.pValue < alpha && harm > (m.maxRelativeHarm ?? 0);
}
