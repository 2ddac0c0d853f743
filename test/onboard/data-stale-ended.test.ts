// DATA_STALE on an ended experiment whose source is complete but sparse (no events in the last days
// of the metric windows, a stranger-test stumble): the remedies say that --as-of at the latest event
// would cut the windows short, and that max_hours is the remedy for a sparse table.
import { describe, expect, it } from 'vitest';
import dataStale from '../../checks/data-stale.js';
import type { CheckInputs } from '../../checks/check-types.js';

const inputs = (end: string | null): CheckInputs => ({
  asOf: '2026-08-24T00:00:00.000Z',
  variants: [],
  multipleVariantUnits: 0,
  unknownVariantUnits: 0,
  sources: [{ name: 'purchases', latestEventAt: '2026-08-18T22:00:00.000Z', latestLoadedAt: null, rowCount: 600, neededUntil: '2026-08-24T00:00:00.000Z' }],
  end,
});

describe('DATA_STALE remedies', () => {
  it('on an ended experiment: --as-of would cut the windows short; max_hours is for a sparse, complete table', () => {
    const o = dataStale.evaluate(inputs('2026-08-17T00:00:00.000Z'), { max_hours: 24 });
    expect(o.passed).toBe(false);
    expect(o.message).toContain('purchases: latest event 2026-08-18T22:00:00.000Z, 122.0 h before 2026-08-24T00:00:00.000Z');
    expect(o.message).toContain('`--as-of 2026-08-18T22:00:00.000Z` (or `as_of` in exptrack.yaml), though for this ended experiment that cuts the metric windows short');
    expect(o.message).toContain('(now 24), the remedy when the source is complete but has no events near the end (a sparse table)');
    expect(o.message).not.toContain('set `end:`');
  });

  it('on a running experiment: the remedies as before, including `end:`', () => {
    const o = dataStale.evaluate(inputs(null), { max_hours: 24 });
    expect(o.message).toContain('set `end:` in the spec');
    expect(o.message).not.toContain('cuts the metric windows short');
  });
});
