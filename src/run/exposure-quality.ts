import type { ExposureQuality } from '../../checks/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Row } from '../warehouse/types.js';

/** The exposure_quality step's one row -> what the exposure_missing_key and marked_traffic checks read. */
export function exposureQuality(exp: ResolvedExperiment, rows: Row[] | undefined): ExposureQuality | null {
  const r = rows?.[0];
  if (!r) return null;
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    exposureRows: n('exposure_rows'),
    missingKeyRows: n('missing_key_rows'),
    markedUnits: n('marked_units'),
    analysedUnits: n('analysed_units'),
    taggedEvents: n('tagged_events'),
    earlyEvents: n('early_events'),
    markedFilters: (exp.markedTraffic ?? []).map((x) => `${x.name} (${x.traffic})`),
  };
}
