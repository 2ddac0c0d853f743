import { audienceFlag } from '../compile/compile-experiment.js';
import type { ResolvedExclusion } from '../spec/types.js';
import type { Cell, Row } from '../warehouse/types.js';

/** What the audience filters did, counted in units (results.json `audience`, the report's audience block). */
export interface AudienceSummary {
  /** Units exposed in the window, before any filter or the multiple-exposure rule. */
  exposedUnits: number;
  filters: {
    name: string;
    mode: 'exclude' | 'include';
    /** Units this filter removes (some may be removed by other filters too). */
    unitsRemoved: number;
    /** Units removed by this filter and no other. */
    onlyThisFilter: number;
    /** Of the units it removes, those also seen in more than one variant. */
    alsoMultipleExposure: number;
  }[];
  /** Units removed by at least one filter. */
  removedByFilters: number;
  multipleExposure: {
    /** Units seen in more than one variant, before the filters. */
    units: number;
    /** Of those, units a filter removes anyway. */
    alsoRemovedByFilters: number;
    /** The rest: what the multiple-exposure check counts and the analysis drops for it. */
    counted: number;
  };
  /** Units analysed when every variant is declared: exposed - removed by filters - counted multiple exposure. */
  keptUnits: number;
}

const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));

/**
 * Splits the exposures step's rows (grouped by variant and by removed_by_N flags) into the rows of the
 * units every filter keeps, shaped as without filters, and the audience counts. Pure.
 */
export function summarizeAudience(rows: Row[], exclusions: Pick<ResolvedExclusion, 'name' | 'mode'>[]): { kept: Row[]; audience: AudienceSummary | null } {
  if (exclusions.length === 0) return { kept: rows, audience: null };
  const flags = exclusions.map((_, i) => audienceFlag(i));
  const removedBy = (r: Row) => flags.map((f) => num(r[f]) === 1);
  const kept = rows
    .filter((r) => !removedBy(r).some(Boolean))
    .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !flags.includes(k))));
  const total = (pred: (r: Row) => boolean) => rows.filter(pred).reduce((a, r) => a + num(r.units), 0);
  const multi = (r: Row) => r.variant === null;
  const anyRemoved = (r: Row) => removedBy(r).some(Boolean);
  const filters = exclusions.map((x, i) => ({
    name: x.name,
    mode: x.mode,
    unitsRemoved: total((r) => removedBy(r)[i]),
    onlyThisFilter: total((r) => removedBy(r).every((b, j) => b === (j === i))),
    alsoMultipleExposure: total((r) => removedBy(r)[i] && multi(r)),
  }));
  const multipleUnits = total(multi);
  const alsoRemoved = total((r) => multi(r) && anyRemoved(r));
  const exposedUnits = total(() => true);
  const removedByFilters = total(anyRemoved);
  return {
    kept,
    audience: {
      exposedUnits,
      filters,
      removedByFilters,
      multipleExposure: { units: multipleUnits, alsoRemovedByFilters: alsoRemoved, counted: multipleUnits - alsoRemoved },
      keptUnits: exposedUnits - removedByFilters - (multipleUnits - alsoRemoved),
    },
  };
}
