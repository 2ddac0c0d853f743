import { guardrailBreached } from '../run/guardrail-verdict.js';
import type { Results } from '../run/results.js';
import { reportCharts } from './charts/report-charts.js';
import { verdictOf } from './charts/forest-spec.js';

/**
 * What the report template reads: the results regrouped and labelled, with no new numbers. Flags
 * (better or worse, breached, CUPED moving against the raw difference) compare numbers results holds.
 */
export function reportView(results: Results) {
  const alpha = results.experiment.alpha;
  const control = results.experiment.control;
  const metrics = results.metrics.map((m) => {
    const arms = m.arms.map((a) => ({ ...a, kind: m.kind }));
    const find = (list: typeof arms, v: string) => list.find((a) => a.variant === v);
    return {
      ...m,
      arms,
      isProportion: m.kind === 'proportion',
      comparisons: m.comparisons.map((c) => ({
        ...c,
        controlArm: find(arms, control),
        treatmentArm: find(arms, c.variant),
        verdict: c.relative.ok ? verdictOf({ ci: c.relative.ci, higherIsBetter: m.higherIsBetter }) : 'unclear',
        breached: m.role === 'guardrail' && guardrailBreached(m, c, alpha),
        // CUPED can turn the sign round: the adjusted lift removes a difference the groups had before exposure.
        cupedAgainstRaw: c.unadjusted !== null && c.relative.ok && Math.sign(c.relative.lift) !== Math.sign(c.unadjusted.relative.lift) && c.unadjusted.relative.lift !== 0,
      })),
      dimensions: m.dimensions.map((d) => {
        const darms = d.arms.map((a) => ({ ...a, kind: m.kind }));
        return { ...d, arms: darms, comparisons: d.comparisons.map((c) => ({ ...c, controlArm: find(darms, control), treatmentArm: find(darms, c.variant) })) };
      }),
    };
  });
  const charts = reportCharts(results).map(({ id, file, title }) => ({ id, file, title }));
  const active = results.checks.filter((c) => c.status !== 'off');
  return {
    ...results,
    metrics,
    primary: metrics.find((m) => m.role === 'primary'),
    guardrails: metrics.filter((m) => m.role === 'guardrail'),
    anyNotEstimable: metrics.some((m) => m.comparisons.some((c) => !c.relative.ok)),
    pairedMetrics: metrics.filter((m) => m.paired !== null),
    rankTested: metrics.filter((m) => m.mannWhitney !== undefined),
    quantileMetrics: metrics.filter((m) => m.quantile !== undefined),
    usesCuped: metrics.some((m) => m.comparisons.some((c) => c.cuped !== null)),
    usesCapping: metrics.some((m) => m.method.capping !== null),
    checksFailed: active.filter((c) => c.status === 'fail'),
    checksPassed: active.filter((c) => c.status === 'pass').length,
    checksActive: active.length,
    checksOff: results.checks.length - active.length,
    chart: Object.fromEntries(charts.map((c) => [c.id, c])),
    treatments: results.experiment.variants.filter((v) => !v.isControl),
  };
}
