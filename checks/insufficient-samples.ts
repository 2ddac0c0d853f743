import { z } from 'zod';
import { defineCheck, formatCount } from './check-types.js';

export default defineCheck({
  id: 'insufficient_samples',
  reasonCode: 'INSUFFICIENT_SAMPLES',
  title: 'Empty or tiny arms',
  description:
    'Units in the smallest arm against a minimum. Below it the normal approximation behind the t-test is poor ' +
    'and intervals are too wide to act on; an empty arm usually means a wrong experiment key or variant name.',
  defaultSeverity: 'warn',
  settings: z.object({ min_units: z.number().int().min(1).default(100) }),
  evaluate(inputs, settings) {
    const small = inputs.variants.filter((v) => v.units < settings.min_units);
    const min = Math.min(...inputs.variants.map((v) => v.units));
    return {
      passed: small.length === 0,
      measured: `${formatCount(min)} units`,
      threshold: `< ${formatCount(settings.min_units)}`,
      message:
        small.length === 0
          ? 'Every arm has enough units.'
          : `Arms below ${formatCount(settings.min_units)} units: ${small.map((v) => `${v.key} (${formatCount(v.units)})`).join(', ')}.`,
    };
  },
});
