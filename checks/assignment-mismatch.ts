import { z } from 'zod';
import { defineCheck, formatCount } from './check-types.js';

export default defineCheck({
  id: 'assignment_mismatch',
  reasonCode: 'ASSIGNMENT_MISMATCH',
  title: 'Assignment audit',
  description:
    "When the spec declares its assignment scheme (`assignment:`), every exposed unit's variant is recomputed in the " +
    'warehouse from the salt, shards and weights, and compared with the logged variant. With deterministic ' +
    'bucketing the share that differs is zero; anything else is an SDK bug, a stale cache, a changed salt or ' +
    'weights, or an override, and those units were not randomized the way the analysis assumes.',
  defaultSeverity: 'error',
  settings: z.object({ max_share: z.number().min(0).max(1).default(0.001) }),
  evaluate(inputs, settings) {
    const threshold = `> ${(settings.max_share * 100).toFixed(2)}%`;
    const a = inputs.assignment;
    if (!a) return { passed: true, measured: 'n/a', threshold, message: 'The spec declares no assignment scheme; nothing to audit.' };
    const share = a.auditedUnits === 0 ? 0 : a.mismatchedUnits / a.auditedUnits;
    const worst = [...a.mismatches].sort((x, y) => y.units - x.units || (x.logged < y.logged ? -1 : 1)).slice(0, 3);
    return {
      passed: share <= settings.max_share,
      measured: `${(share * 100).toFixed(2)}%`,
      threshold,
      message:
        a.mismatchedUnits === 0
          ? `All ${formatCount(a.auditedUnits)} exposed units carry the variant the ${a.scheme} scheme assigns.`
          : `${formatCount(a.mismatchedUnits)} of ${formatCount(a.auditedUnits)} exposed units were logged in another variant than the ${a.scheme} scheme assigns` +
            ` (${worst.map((m) => `${formatCount(m.units)} logged ${m.logged}, expected ${m.expected}`).join('; ')}).`,
    };
  },
});
