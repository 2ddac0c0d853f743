import { planFromSummary, type SummaryPlan, type SummaryPlanInputs } from '../../plan/plan-summary.js';
import { count, fmt, pct } from '../../util/format.js';
import { UsageError } from '../common.js';

export interface PlanSummaryFlags {
  days?: string;
  mde?: string;
  lift?: string;
  power?: string;
  baselineRate?: string;
  baselineMean?: string;
  baselineSd?: string;
  unitsPerDay?: string;
  variations?: string;
  weights?: string;
  alpha?: string;
  sides?: string;
  tuning?: string;
  elapsedDays?: string;
  observedLift?: string;
  observedSe?: string;
}

function num(flag: string, text: string | undefined, ok: (v: number) => boolean, what: string): number | null {
  if (text === undefined) return null;
  const v = Number(String(text).replace(/d$/, ''));
  if (String(text).trim() === '' || !Number.isFinite(v) || !ok(v)) throw new UsageError(`${flag} '${text}' must be ${what}`);
  return v;
}

/** Flags -> inputs of a plan without a spec; every missing or contradictory flag is a usage error. */
export function summaryPlanInputs(f: PlanSummaryFlags): SummaryPlanInputs {
  const positive = (v: number) => v > 0;
  const rate = num('--baseline-rate', f.baselineRate, (v) => v > 0 && v < 1, 'a rate strictly between 0 and 1');
  const mean = num('--baseline-mean', f.baselineMean, (v) => v !== 0, 'a number other than 0');
  const sd = num('--baseline-sd', f.baselineSd, positive, 'a number > 0');
  if (rate === null && (mean === null || sd === null)) throw new UsageError('without a spec, give --baseline-rate, or --baseline-mean and --baseline-sd');
  if (rate !== null && (mean !== null || sd !== null)) throw new UsageError('give --baseline-rate or --baseline-mean/--baseline-sd, not both');
  const unitsPerDay = num('--units-per-day', f.unitsPerDay, positive, 'a number > 0');
  if (unitsPerDay === null) throw new UsageError('without a spec, give --units-per-day (new units a day over all arms)');
  let weights: number[];
  if (f.weights !== undefined) {
    weights = f.weights.split(',').map((w) => num('--weights', w.trim(), positive, 'positive numbers, control first')!);
    if (weights.length < 2) throw new UsageError('--weights needs a weight for control and at least one treatment');
  } else {
    const k = num('--variations', f.variations ?? '2', (v) => Number.isInteger(v) && v >= 2, 'a whole number >= 2')!;
    weights = new Array<number>(k).fill(1 / k);
  }
  const sides = f.sides ?? 'two-sided';
  if (sides !== 'two-sided' && sides !== 'greater' && sides !== 'less') throw new UsageError(`--sides '${sides}' must be two-sided, greater or less`);
  const power = num('--power', f.power ?? '0.8', (v) => v > 0 && v < 1, 'a number strictly between 0 and 1')!;
  const interimFlags = [f.elapsedDays, f.observedLift, f.observedSe];
  if (interimFlags.some((x) => x !== undefined) && interimFlags.some((x) => x === undefined)) throw new UsageError('mid-experiment power needs --elapsed-days, --observed-lift and --observed-se together');
  return {
    rate,
    mean,
    sd,
    unitsPerDay,
    weights,
    alpha: num('--alpha', f.alpha ?? '0.05', (v) => v > 0 && v < 0.5, 'a number strictly between 0 and 0.5')!,
    power,
    sides,
    sequentialTuning: num('--tuning', f.tuning ?? '5000', positive, 'a number > 0')!,
    days: num('--days', f.days ?? '14', positive, 'a positive number')!,
    mde: num('--mde', f.mde ?? '0.05', positive, 'a positive number')!,
    lift: num('--lift', f.lift, positive, 'a positive number'),
    interim:
      f.elapsedDays === undefined
        ? null
        : {
            elapsedDays: num('--elapsed-days', f.elapsedDays, positive, 'a positive number')!,
            lift: num('--observed-lift', f.observedLift, Number.isFinite, 'a number')!,
            se: num('--observed-se', f.observedSe, positive, 'a number > 0')!,
          },
  };
}

const days = (d: number | null) => (d === null ? 'not reachable' : `${Math.ceil(d)} days`);
const units = (u: number[] | null) => (u === null ? 'not reachable' : u.map((x) => count(x)).join(' / '));
const mde = (x: number | null) => (x === null ? 'none' : pct(x));

export function describeSummaryPlan(p: SummaryPlan): string {
  const lines = [
    `power analysis from summary numbers`,
    `  baseline ${p.baseline.kind} mean ${fmt(p.baseline.mean)}, variance ${fmt(p.baseline.variance)}; ${count(p.dailyUnits)} units a day; alpha ${p.alpha}, power ${pct(p.power)}, ${p.sides}, weights ${p.weights.map((w) => pct(w / p.weights.reduce((a, x) => a + x, 0))).join(' / ')}; sequential tuning ${p.sequentialTuning}`,
    `  to detect ${mde(p.forMde.relativeMde)}: fixed horizon ${units(p.forMde.fixed.unitsPerArm)} units per arm, ${days(p.forMde.fixed.days)}; sequential ${units(p.forMde.sequential.unitsPerArm)}, ${days(p.forMde.sequential.days)}`,
    `  in ${p.forDuration.days} days: minimum detectable effect ${mde(p.forDuration.fixed.relativeMde)} fixed horizon, ${mde(p.forDuration.sequential.relativeMde)} sequential`,
  ];
  if (p.forLift) lines.push(`  power for a ${pct(p.forLift.relativeLift)} lift in ${p.forDuration.days} days: ${pct(p.forLift.fixed)} fixed horizon, ${pct(p.forLift.sequential)} sequential`);
  if (p.interim) {
    const i = p.interim;
    lines.push(
      `  after ${i.elapsedDays} of ${p.forDuration.days} days (${pct(i.fraction)} of the units), power left at the planned end:`,
      `    if the true lift is the MDE ${mde(p.forMde.relativeMde)}: ${pct(i.underMde.fixed)} fixed horizon, at least ${pct(i.underMde.sequential)} sequential`,
      `    if the lift so far (${pct(i.observedLift)}) is the truth: ${pct(i.underObservedLift.fixed)} fixed horizon, at least ${pct(i.underObservedLift.sequential)} sequential`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function planSummary(flags: PlanSummaryFlags): SummaryPlan {
  return planFromSummary(summaryPlanInputs(flags));
}
