import { z } from 'zod';
import { compareTreatment, holmBonferroni } from '../src/stats/index.js';
import { fmt, pval } from '../src/util/format.js';
import { defineCheck } from './check-types.js';

export default defineCheck({
  id: 'pre_period_imbalance',
  reasonCode: 'PRE_PERIOD_IMBALANCE',
  title: 'Pre-period balance',
  description:
    "Each CUPED metric measured before exposure, compared between every variant and control (Welch t on the " +
    'pre-period values, Holm-corrected over metrics and variants). Randomisation makes the arms alike before ' +
    'exposure; a difference beyond chance means assignment depends on past behaviour (a broken hash, a ' +
    're-used experiment key, units assigned after they acted). The threshold is strict because the check repeats at every refresh.',
  defaultSeverity: 'warn',
  settings: z.object({ p_value: z.number().gt(0).lt(1).default(0.001) }),
  evaluate(inputs, settings) {
    const tests = (inputs.prePeriod ?? []).flatMap((m) => {
      const [control, ...treatments] = m.arms;
      return treatments.map((t) => {
        const c = compareTreatment(control.stats, t.stats, { cuped: false });
        return { metric: m.metric, variant: t.variant, control: c.control.mean, treatment: c.treatment.mean, p: c.absolute.ok ? c.absolute.pValue : 1 };
      });
    });
    const threshold = `Holm p < ${settings.p_value}`;
    if (tests.length === 0) return { passed: true, measured: '—', threshold, message: 'No metric is measured before exposure (CUPED off or no pre-period data).' };
    const adjusted = holmBonferroni(tests.map((t) => t.p));
    const i = adjusted.indexOf(Math.min(...adjusted));
    const imbalanced = tests.filter((_, k) => adjusted[k] < settings.p_value);
    const describe = (t: (typeof tests)[number]) => `${t.metric} ${fmt(t.control)} in control vs ${fmt(t.treatment)} in ${t.variant}`;
    return {
      passed: imbalanced.length === 0,
      measured: `${tests[i].metric}, ${tests[i].variant}: Holm ${pval(adjusted[i])}`,
      threshold,
      message:
        imbalanced.length === 0
          ? `Pre-period means match between arms (${tests.length} comparison(s)).`
          : `Pre-period means differ beyond chance: ${imbalanced.map(describe).join('; ')}.`,
    };
  },
});
