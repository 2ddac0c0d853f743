import { hodgesLehmannBounds, type HodgesLehmannBounds, type ValueBin } from '../stats/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Cell, Row } from '../warehouse/types.js';
import type { MetricResult } from './results.js';

const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));

/**
 * Shift-bins rows -> the Hodges-Lehmann bounds of each Mann-Whitney result, added in place (after
 * addRankTests). Null when an arm has no units.
 */
export function addShiftBounds(exp: ResolvedExperiment, metrics: MetricResult[], rows: Row[]): void {
  for (const m of metrics) {
    for (const r of m.mannWhitney ?? []) {
      const bins = (variant: string): ValueBin[] =>
        rows
          .filter((x) => x.metric === m.name && x.treatment === r.variant && x.variant === variant)
          .map((x) => ({ units: num(x.units), min: num(x.v_min), max: num(x.v_max) }));
      const hl: HodgesLehmannBounds | null = hodgesLehmannBounds(bins(exp.controlKey), bins(r.variant));
      r.hodgesLehmann = hl;
    }
  }
}
