import { z } from 'zod';
import { defineCheck, formatCount } from './check-types.js';

export default defineCheck({
  id: 'exposure_missing_key',
  reasonCode: 'EXPOSURE_MISSING_KEY',
  title: 'Exposures without experiment key',
  description:
    'Share of rows in the exposure source, inside the experiment window, whose experiment key is NULL or empty. ' +
    'Such exposures cannot be attributed to any experiment: the units behind them silently drop out, and if the ' +
    'loss depends on the variant (a code path that forgets the key) the arms are no longer comparable.',
  defaultSeverity: 'warn',
  settings: z.object({ max_share: z.number().min(0).max(1).default(0.001) }),
  evaluate(inputs, settings) {
    const threshold = `> ${(settings.max_share * 100).toFixed(2)}%`;
    const q = inputs.exposureQuality;
    if (!q) return { passed: true, measured: 'n/a', threshold, message: 'Not measured in this run.' };
    const share = q.exposureRows === 0 ? 0 : q.missingKeyRows / q.exposureRows;
    return {
      passed: share <= settings.max_share,
      measured: `${(share * 100).toFixed(2)}%`,
      threshold,
      message: `${formatCount(q.missingKeyRows)} of ${formatCount(q.exposureRows)} exposure rows in the window have no experiment key.`,
    };
  },
});
