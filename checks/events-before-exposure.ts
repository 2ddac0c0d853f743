import { z } from 'zod';
import { defineCheck, formatCount } from './check-types.js';

export default defineCheck({
  id: 'events_before_exposure',
  reasonCode: 'EVENTS_BEFORE_EXPOSURE',
  title: 'Events attributed before exposure',
  description:
    "Among rows of the experiment's metric sources that carry experiment key and variant columns (events tagged " +
      "with the experiment, as some SDKs log them), the share tagged with " +
    "this experiment that happened before the unit's first exposure, or belong to a unit never exposed. An app " +
    'that knows the variant before it logs the exposure logs the exposure too late (or not at all), so the ' +
    'exposed population is not the population that experienced the variant.',
  defaultSeverity: 'warn',
  settings: z.object({ max_share: z.number().min(0).max(1).default(0.01) }),
  evaluate(inputs, settings) {
    const threshold = `> ${(settings.max_share * 100).toFixed(2)}%`;
    const q = inputs.exposureQuality;
    if (!q || q.taggedEvents === 0) {
      return { passed: true, measured: 'n/a', threshold, message: 'No metric source carries events tagged with this experiment.' };
    }
    const share = q.earlyEvents / q.taggedEvents;
    return {
      passed: share <= settings.max_share,
      measured: `${(share * 100).toFixed(2)}%`,
      threshold,
      message: `${formatCount(q.earlyEvents)} of ${formatCount(q.taggedEvents)} events tagged with this experiment happened before the unit's first exposure or have no exposure.`,
    };
  },
});
