import { z } from 'zod';
import { defineCheck, formatCount } from './check-types.js';

/**
 * An empty arm next to variants the spec does not declare is nearly always a misspelt key (variant
 * keys are compared exactly, so `control` is not `Control`): name what the exposure log holds.
 */
function unknownHint(unknown: { key: string; units: number }[], small: string[]): string {
  if (unknown.length === 0) return '';
  const list = unknown.map((u) => `\`${u.key}\` (${formatCount(u.units)})`).join(', ');
  const same = small.flatMap((k) => unknown.filter((u) => u.key.toLowerCase() === k.toLowerCase() && u.key !== k).map((u) => `\`${u.key}\` for \`${k}\``));
  return ` The exposure log has variants the spec does not declare: ${list}; variant keys must match exactly${same.length ? ` (did you mean ${same.join(', ')}?)` : ''}.`;
}

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
          : `Arms below ${formatCount(settings.min_units)} units: ${small.map((v) => `${v.key} (${formatCount(v.units)})`).join(', ')}.${unknownHint(inputs.unknownVariants ?? [], small.map((v) => v.key))}`,
    };
  },
});
