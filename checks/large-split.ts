import { z } from 'zod';
import { defineCheck } from './check-types.js';

export default defineCheck({
  id: 'large_split',
  reasonCode: 'LARGE_SPLIT_WARN',
  title: 'Variant with most of the traffic',
  description:
    'A variant planned to get more than half of the traffic. Legitimate for ramp-ups, but shipping a variant ' +
    'that already holds most users deserves a second look at the evidence.',
  defaultSeverity: 'warn',
  settings: z.object({ max_weight: z.number().gt(0).lte(1).default(0.5) }),
  evaluate(inputs, settings) {
    const large = inputs.variants.filter((v) => v.weight > settings.max_weight);
    const max = Math.max(...inputs.variants.map((v) => v.weight));
    return {
      passed: large.length === 0,
      measured: `${(max * 100).toFixed(0)}%`,
      threshold: `> ${(settings.max_weight * 100).toFixed(0)}%`,
      message:
        large.length === 0
          ? 'No variant is planned to get more than half of the traffic.'
          : `${large.map((v) => `${v.key} is planned at ${(v.weight * 100).toFixed(0)}%`).join(', ')} of traffic.`,
    };
  },
});
