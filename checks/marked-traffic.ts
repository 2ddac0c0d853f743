import { z } from 'zod';
import { defineCheck, formatCount } from './check-types.js';

export default defineCheck({
  id: 'marked_traffic',
  reasonCode: 'MARKED_TRAFFIC',
  title: 'Bot and internal traffic',
  description:
    'Share of analysed units that a model filter marks as bot or internal traffic (`traffic: bot | internal`) ' +
    'while the spec does not exclude that filter. Such units do not behave like customers and dilute, or bias, ' +
    'every metric; list the filter under `audience.exclude` to drop them.',
  defaultSeverity: 'warn',
  settings: z.object({ max_share: z.number().min(0).max(1).default(0) }),
  evaluate(inputs, settings) {
    const threshold = `> ${(settings.max_share * 100).toFixed(2)}%`;
    const q = inputs.exposureQuality;
    if (!q || q.markedFilters.length === 0) {
      return { passed: true, measured: 'n/a', threshold, message: 'No bot or internal traffic marked in the models is left in this analysis.' };
    }
    const share = q.analysedUnits === 0 ? 0 : q.markedUnits / q.analysedUnits;
    return {
      passed: share <= settings.max_share,
      measured: `${(share * 100).toFixed(2)}%`,
      threshold,
      message: `${formatCount(q.markedUnits)} of ${formatCount(q.analysedUnits)} analysed units match ${q.markedFilters.join(', ')}, marked as bot or internal traffic and not excluded by the spec.`,
    };
  },
});
