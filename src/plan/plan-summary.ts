import { conditionalPower, mdeForDuration, powerForLift, sampleSizeForMde, type PowerInputs, type Sides } from '../stats/index.js';

/** `exptrack plan` without a spec or warehouse: the baseline and traffic as numbers. */
export interface SummaryPlanInputs {
  /** Proportion metric: the baseline rate (variance p (1 - p)); else mean and sd. */
  rate: number | null;
  mean: number | null;
  sd: number | null;
  unitsPerDay: number;
  /** Traffic weights, control first (equal shares when the user gave a number of variations). */
  weights: number[];
  alpha: number;
  power: number;
  sides: Sides;
  sequentialTuning: number;
  days: number;
  mde: number;
  lift: number | null;
  /** Mid-experiment: days run so far and the relative lift and its standard error so far. */
  interim: { elapsedDays: number; lift: number; se: number } | null;
}

export interface SummaryPlan {
  baseline: { kind: 'proportion' | 'mean'; mean: number; variance: number };
  dailyUnits: number;
  weights: number[];
  alpha: number;
  power: number;
  sides: Sides;
  sequentialTuning: number;
  forMde: { relativeMde: number; fixed: ReturnType<typeof sampleSizeForMde>; sequential: ReturnType<typeof sampleSizeForMde> };
  forDuration: { days: number; fixed: ReturnType<typeof mdeForDuration>; sequential: ReturnType<typeof mdeForDuration> };
  forLift: { relativeLift: number; fixed: number; sequential: number } | null;
  /** Conditional power at the planned end given the data so far (lower bound when sequential). */
  interim: {
    elapsedDays: number;
    fraction: number;
    observedLift: number;
    underMde: { fixed: number; sequential: number };
    underObservedLift: { fixed: number; sequential: number };
  } | null;
}

/** Sizes an experiment from summary numbers. Pure. */
export function planFromSummary(i: SummaryPlanInputs): SummaryPlan {
  const proportion = i.rate !== null;
  const mean = proportion ? i.rate! : i.mean!;
  const variance = proportion ? i.rate! * (1 - i.rate!) : i.sd! ** 2;
  const base: PowerInputs = { baselineMean: mean, baselineVariance: variance, kind: proportion ? 'proportion' : 'mean', dailyUnits: i.unitsPerDay, weights: i.weights, alpha: i.alpha, power: i.power, sides: i.sides };
  const seq: PowerInputs = { ...base, sequential: true, sequentialTuning: i.sequentialTuning };
  let interim: SummaryPlan['interim'] = null;
  if (i.interim) {
    const fraction = i.interim.elapsedDays / i.days;
    if (!(fraction > 0 && fraction < 1)) throw new RangeError(`--elapsed-days must be more than 0 and less than --days (${i.days}), got ${i.interim.elapsedDays}`);
    const total = i.weights.reduce((a, w) => a + w, 0);
    // The comparison with least power: control and the smallest treatment arm.
    const finalUnits = i.unitsPerDay * i.days * ((i.weights[0] + Math.min(...i.weights.slice(1))) / total);
    const look = (tuning: number | null) => ({ lift: i.interim!.lift, se: i.interim!.se, fraction, finalUnits, alpha: i.alpha, sides: i.sides, sequentialTuning: tuning });
    const signedMde = i.sides === 'less' ? -Math.abs(i.mde) : i.mde;
    interim = {
      elapsedDays: i.interim.elapsedDays,
      fraction,
      observedLift: i.interim.lift,
      underMde: { fixed: conditionalPower(look(null), signedMde), sequential: conditionalPower(look(i.sequentialTuning), signedMde) },
      underObservedLift: { fixed: conditionalPower(look(null), i.interim.lift), sequential: conditionalPower(look(i.sequentialTuning), i.interim.lift) },
    };
  }
  return {
    baseline: { kind: proportion ? 'proportion' : 'mean', mean, variance },
    dailyUnits: i.unitsPerDay,
    weights: i.weights,
    alpha: i.alpha,
    power: i.power,
    sides: i.sides,
    sequentialTuning: i.sequentialTuning,
    forMde: { relativeMde: i.mde, fixed: sampleSizeForMde(base, i.mde), sequential: sampleSizeForMde(seq, i.mde) },
    forDuration: { days: i.days, fixed: mdeForDuration(base, i.days), sequential: mdeForDuration(seq, i.days) },
    forLift: i.lift === null ? null : { relativeLift: i.lift, fixed: powerForLift(base, i.lift, i.days), sequential: powerForLift(seq, i.lift, i.days) },
    interim,
  };
}
