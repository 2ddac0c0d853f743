import { z } from 'zod';
import { sampleRatioMismatch } from '../src/stats/index.js';
import { defineCheck, formatCount } from './check-types.js';

export default defineCheck({
  id: 'srm',
  reasonCode: 'SRM_DETECTED',
  title: 'Sample ratio mismatch',
  description:
    'Pearson chi-square test of units per variant against the planned weights. A mismatch means assignment or ' +
    'logging is broken, so no comparison can be trusted. The threshold is strict (p < 0.001) because the check ' +
    'repeats at every refresh.',
  defaultSeverity: 'error',
  settings: z.object({ p_value: z.number().gt(0).lt(1).default(0.001) }),
  evaluate(inputs, settings) {
    const observed = inputs.variants.map((v) => v.units);
    const srm = sampleRatioMismatch(observed, inputs.variants.map((v) => v.weight));
    const split = inputs.variants.map((v) => `${v.key} ${formatCount(v.units)}`).join(', ');
    const passed = !(srm.pValue < settings.p_value);
    return {
      passed,
      measured: `p = ${srm.pValue.toPrecision(3)}`,
      threshold: `p < ${settings.p_value}`,
      message: passed
        ? `Units per variant (${split}) match the planned weights.`
        : `Units per variant (${split}) do not match the planned weights ` +
          `(${inputs.variants.map((v) => v.weight).join('/')}): chi-square ${srm.chiSquare.toFixed(2)}, p = ${srm.pValue.toPrecision(3)}.`,
    };
  },
});
