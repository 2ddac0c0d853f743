import { z } from 'zod';
import { defineCheck } from './check-types.js';

const HOUR = 3_600_000;

export default defineCheck({
  id: 'data_stale',
  reasonCode: 'DATA_STALE',
  title: 'Data latency',
  description:
    'Hours between the as-of time and the latest event of each source the experiment reads (and, where a ' +
    'load-time column exists, the latest load). A source that stopped loading silently biases every metric ' +
    'computed from it toward early exposures.',
  defaultSeverity: 'error',
  settings: z.object({ max_hours: z.number().positive().default(24) }),
  evaluate(inputs, settings) {
    const asOf = Date.parse(inputs.asOf);
    const stale: string[] = [];
    let worst = 0;
    for (const s of inputs.sources) {
      if (s.latestEventAt === null) {
        stale.push(`${s.name} has no rows in the experiment window`);
        worst = Infinity;
        continue;
      }
      const hours = (asOf - Date.parse(s.latestEventAt)) / HOUR;
      worst = Math.max(worst, hours);
      if (hours > settings.max_hours) stale.push(`${s.name} latest event ${s.latestEventAt} (${hours.toFixed(1)} h before as-of)`);
    }
    return {
      passed: stale.length === 0,
      measured: Number.isFinite(worst) ? `${worst.toFixed(1)} h` : 'no data',
      threshold: `> ${settings.max_hours} h`,
      message: stale.length === 0 ? 'Every source has events within the latency limit.' : `Stale: ${stale.join('; ')}.`,
    };
  },
});
