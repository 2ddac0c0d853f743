import { z } from 'zod';
import { defineCheck, formatCount } from './check-types.js';

export default defineCheck({
  id: 'multiple_exposure',
  reasonCode: 'MULTIPLE_EXPOSURE',
  title: 'Multiple exposure',
  description:
    'Share of exposed units seen in more than one variant. Such units are excluded from every metric; a large ' +
    'share points to unstable assignment (for example ids that change across devices).',
  defaultSeverity: 'warn',
  settings: z.object({ max_share: z.number().min(0).max(1).default(0.01) }),
  evaluate(inputs, settings) {
    const analysed = inputs.variants.reduce((a, v) => a + v.units, 0);
    const total = analysed + inputs.multipleVariantUnits + inputs.unknownVariantUnits;
    const share = total === 0 ? 0 : inputs.multipleVariantUnits / total;
    const passed = share <= settings.max_share;
    return {
      passed,
      measured: `${(share * 100).toFixed(2)}%`,
      threshold: `> ${(settings.max_share * 100).toFixed(2)}%`,
      message: `${formatCount(inputs.multipleVariantUnits)} of ${formatCount(total)} units were seen in more than one variant and are excluded.`,
    };
  },
});
