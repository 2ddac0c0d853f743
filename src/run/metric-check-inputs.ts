import type { CheckInputs } from '../../checks/index.js';
import type { ArmSufficientStats } from '../stats/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { MetricResult } from './results.js';

/** The pre-period quantities of an arm as statistics of their own (the covariate becomes the value). */
function preStats(s: ArmSufficientStats): ArmSufficientStats | null {
  if (!s.x) return null;
  if (s.kind === 'ratio') return s.e && s.cross?.xe !== undefined ? { kind: 'ratio', n: s.n, y: s.x, d: s.e, cross: { yd: s.cross.xe } } : null;
  return { kind: s.kind, n: s.n, y: s.x };
}

/** What the metric-based checks (drift, pre-period balance) read from the overall metric results. */
export function metricCheckInputs(exp: ResolvedExperiment, metrics: MetricResult[]): Pick<CheckInputs, 'alpha' | 'sequentialTuning' | 'paired' | 'prePeriod'> {
  const paired = metrics.flatMap((m) =>
    (m.paired ?? [])
      .filter((p) => p.variant !== exp.controlKey)
      .map((p) => ({ metric: m.name, variant: p.variant, higherIsBetter: m.higherIsBetter, n: p.pairs ?? m.arms.find((a) => a.variant === p.variant)?.n ?? 0, difference: p.difference })),
  );
  const prePeriod = metrics.flatMap((m) => {
    if (m.method.cuped === null) return [];
    const ordered = [...m.arms].sort((a, b) => Number(b.variant === exp.controlKey) - Number(a.variant === exp.controlKey));
    const arms = ordered.map((a) => ({ variant: a.variant, stats: preStats(a.stats) }));
    return arms.every((a) => a.stats !== null) ? [{ metric: m.name, arms: arms as { variant: string; stats: ArmSufficientStats }[] }] : [];
  });
  return { alpha: exp.alpha, sequentialTuning: exp.analysis.sequential ? exp.analysis.sequentialTuning : null, paired, prePeriod };
}
