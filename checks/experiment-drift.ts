import { z } from 'zod';
import { fmt, pval } from '../src/util/format.js';
import { testEffect } from '../src/stats/index.js';
import { defineCheck } from './check-types.js';

export default defineCheck({
  id: 'experiment_drift',
  reasonCode: 'EXPERIMENT_DRIFT',
  title: 'Variant drift against live',
  description:
    'For paired metrics (a shadow variant replayed on the inputs of live control): a one-sided test of whether ' +
    "the variant's outcome is worse than the live outcome of the same units by more than max_drift per unit " +
    "(in the metric's units, in its harmful direction), at the spec's alpha, always valid when the spec is sequential. " +
    'At error severity a drift stops the experiment.',
  defaultSeverity: 'warn',
  settings: z.object({ max_drift: z.number().min(0).default(0).describe("tolerated harm per unit, in the paired metric's units") }),
  evaluate(inputs, settings) {
    const alpha = inputs.alpha ?? 0.05;
    const tested = (inputs.paired ?? [])
      .filter((p) => p.difference.ok)
      .map((p) => {
        const harm = p.higherIsBetter ? -p.difference.lift : p.difference.lift;
        const sequential = inputs.sequentialTuning ? { tuning: inputs.sequentialTuning } : false;
        // H0: harm <= max_drift; the same standard error and degrees of freedom as the paired test.
        const t = testEffect({ lift: harm - settings.max_drift, variance: p.difference.se ** 2, dof: p.difference.dof, totalUnits: p.n }, { alpha, sides: 'greater', sequential });
        return { ...p, harm, pValue: t.pValue };
      });
    const threshold = `harm > ${fmt(settings.max_drift)} per unit, p < ${alpha}`;
    if (tested.length === 0) return { passed: true, measured: '—', threshold, message: 'No paired metric with an estimable difference.' };
    const worst = tested.reduce((a, b) => (b.pValue < a.pValue ? b : a));
    const drifted = tested.filter((t) => t.pValue < alpha);
    return {
      passed: drifted.length === 0,
      measured: `${worst.metric} in ${worst.variant}: harm ${fmt(worst.harm)} per unit, ${pval(worst.pValue)}`,
      threshold,
      message:
        drifted.length === 0
          ? 'No variant is worse than live beyond the tolerated drift.'
          : `Worse than the live outcome of the same units beyond ${fmt(settings.max_drift)} per unit: ${drifted.map((d) => `${d.metric} in ${d.variant} (harm ${fmt(d.harm)} per unit, ${pval(d.pValue)})`).join('; ')}.`,
    };
  },
});
