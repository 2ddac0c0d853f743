import { z } from 'zod';
import { defineCheck } from './check-types.js';

const HOUR = 3_600_000;

export default defineCheck({
  id: 'data_stale',
  reasonCode: 'DATA_STALE',
  title: 'Data latency',
  description:
    'Hours between the end of the data the analysis needs from each source (the as-of, or for a concluded ' +
    'experiment its end plus the metric window) and the latest event of that source. A source that stopped ' +
    'loading silently biases every metric computed from it toward early exposures.',
  defaultSeverity: 'error',
  settings: z.object({ max_hours: z.number().positive().default(24) }),
  evaluate(inputs, settings) {
    const stale: string[] = [];
    let worst = 0;
    let latest: string | null = null;
    for (const s of inputs.sources) {
      if (s.latestEventAt === null) {
        stale.push(`${s.name} has no rows in the experiment window`);
        worst = Infinity;
        continue;
      }
      const needed = s.neededUntil ?? inputs.asOf;
      const hours = (Date.parse(needed) - Date.parse(s.latestEventAt)) / HOUR;
      worst = Math.max(worst, hours);
      if (hours > settings.max_hours) {
        stale.push(`${s.name}: latest event ${s.latestEventAt}, ${hours.toFixed(1)} h before ${needed}, the end of the data this analysis needs from it (limit ${settings.max_hours} h)`);
        if (latest === null || s.latestEventAt < latest) latest = s.latestEventAt;
      }
    }
    // Say what to do, not only what is wrong: the usual cause is an analysis time past the data.
    const remedies = [
      latest !== null ? `analyse up to the data with \`--as-of ${latest}\` (or \`as_of\` in exptrack.yaml)` : 'analyse at an earlier time with `--as-of` (or `as_of` in exptrack.yaml)',
      inputs.end ? null : 'if the experiment has ended, set `end:` in the spec (as-of then defaults to end + the longest metric window)',
      'wait for the source to load',
      `or accept the delay with \`checks: { data_stale: { max_hours: N } }\` in the spec (now ${settings.max_hours})`,
    ].filter((r): r is string => r !== null);
    return {
      passed: stale.length === 0,
      measured: Number.isFinite(worst) ? `${worst.toFixed(1)} h` : 'no data',
      threshold: `> ${settings.max_hours} h`,
      message: stale.length === 0 ? 'Every source has events within the latency limit.' : `Stale: ${stale.join('; ')}. Remedies: ${remedies.join('; ')}.`,
    };
  },
});
