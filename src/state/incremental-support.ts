import type { ResolvedExperiment } from '../spec/types.js';

/**
 * Metric kinds (and per-unit component kinds) the incremental planner knows how to merge. A kind
 * added to the spec language later is not on these lists, so its experiments fall back to a full
 * refresh, with the reason printed and recorded, until someone writes its merge (the metric_merge
 * partial) and adds it here with an identity test.
 */
export const INCREMENTAL_METRIC_KINDS: readonly string[] = ['proportion', 'mean', 'count', 'ratio', 'paired', 'quantile'];
export const INCREMENTAL_COMPONENT_KINDS: readonly string[] = ['proportion', 'mean', 'count', 'paired'];

/** Why this experiment cannot refresh incrementally, or null when it can. */
export function incrementalBlocker(exp: ResolvedExperiment): string | null {
  // Attribute-table dimensions need no entry: they are joined at read time (state_current_units). A
  // quantile metric's per-unit value is a mean metric's sum (its component kind is 'mean'), so the state
  // keeps it; event-level quantiles run their step whole inside the incremental run (state-runner.ts).
  for (const m of exp.metrics) {
    if (!INCREMENTAL_METRIC_KINDS.includes(m.kind)) {
      return `metric ${m.name} is of kind '${m.kind}', which the incremental planner does not merge yet (it merges ${INCREMENTAL_METRIC_KINDS.join(', ')})`;
    }
    for (const c of m.denominator ? [m.numerator, m.denominator] : [m.numerator]) {
      if (!INCREMENTAL_COMPONENT_KINDS.includes(c.kind)) return `metric ${m.name} has a '${c.kind}' component, which the incremental planner does not merge yet`;
      // A window opening before the first exposure would need rows from before the unit was known.
      if (c.windowDelaySeconds < 0) return `metric ${m.name} has a window that opens before exposure, which the incremental planner does not support`;
    }
  }
  return null;
}
