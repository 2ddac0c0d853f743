import type { PlanOptions, PlanResult } from '../../plan/plan-query.js';
import { planExperiment } from '../../plan/plan-experiment.js';
import { count, fmt, pct } from '../../util/format.js';
import { loadContext, reportFailure, UsageError, type CommonOptions } from '../common.js';
import { EXIT, type ExitCode } from '../exit.js';
import { describeSummaryPlan, planSummary, type PlanSummaryFlags } from './plan-summary-command.js';

const positive = (text: string | undefined, flag: string, fallback: number | null): number | null => {
  if (text === undefined) return fallback;
  const v = Number(String(text).replace(/d$/, ''));
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`${flag} '${text}' must be a positive number`);
  return v;
};

export async function planCommand(
  selector: string | undefined,
  opts: CommonOptions & PlanSummaryFlags & { lookback?: string },
): Promise<ExitCode> {
  try {
    if (selector === undefined) {
      // No spec: plan from the numbers on the command line; nothing is loaded or connected.
      const plan = planSummary(opts);
      process.stdout.write(opts.json ? `${JSON.stringify({ ok: true, exitCode: EXIT.ok, plan }, null, 2)}\n` : describeSummaryPlan(plan));
      return EXIT.ok;
    }
    const summaryOnly = (['baselineRate', 'baselineMean', 'baselineSd', 'unitsPerDay', 'weights', 'elapsedDays', 'observedLift', 'observedSe'] as const).filter((k) => opts[k] !== undefined);
    if (summaryOnly.length) throw new UsageError(`--${summaryOnly[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for planning without a spec; with a spec the baseline and traffic come from the warehouse`);
    const { config, target, asOf } = loadContext(opts);
    const planOpts: PlanOptions = {
      asOf,
      lookbackDays: positive(opts.lookback, '--lookback', 28)!,
      days: positive(opts.days, '--days', 14)!,
      mde: positive(opts.mde, '--mde', null),
      lift: positive(opts.lift, '--lift', null),
      power: positive(opts.power, '--power', 0.8)!,
    };
    if (planOpts.power >= 1) throw new UsageError(`--power must be below 1, got ${planOpts.power}`);
    const plan = await planExperiment(config, target, selector, planOpts);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.ok, target: { name: target.name, type: target.type }, plan }, null, 2)}\n`);
    else process.stdout.write(describePlan(plan));
    return EXIT.ok;
  } catch (e) {
    return reportFailure(e, opts.json);
  }
}

const days = (d: number | null) => (d === null ? 'not reachable' : `${Math.ceil(d)} days`);
const units = (u: number[] | null) => (u === null ? 'not reachable' : u.map((x) => count(x)).join(' / '));
const mde = (x: number | null) => (x === null ? 'none' : `${pct(x)}`);

export function describePlan(p: PlanResult): string {
  const lines = [
    `${p.experiment}: power analysis for ${p.metric.name} (${p.metric.kind})`,
    `  pre-period ${p.preperiod.start} to ${p.preperiod.end}: ${count(p.preperiod.unitsSeen)} units seen, ${count(p.dailyUnits)} a day; ${count(p.preperiod.unitsMeasured)} with a complete window`,
    `  baseline mean ${fmt(p.baseline.mean)}, variance ${fmt(p.baseline.variance)}; alpha ${p.alpha}, power ${pct(p.power)}, ${p.sides}, weights ${p.weights.map((w) => pct(w)).join(' / ')}`,
    `  to detect ${mde(p.forMde.relativeMde)}: fixed horizon ${units(p.forMde.fixed.unitsPerArm)} units per arm, ${days(p.forMde.fixed.days)}; sequential ${units(p.forMde.sequential.unitsPerArm)}, ${days(p.forMde.sequential.days)}`,
    `  in ${p.forDuration.days} days: minimum detectable effect ${mde(p.forDuration.fixed.relativeMde)} fixed horizon, ${mde(p.forDuration.sequential.relativeMde)} sequential`,
  ];
  if (p.forLift) lines.push(`  power for a ${pct(p.forLift.relativeLift)} lift in ${p.forDuration.days} days: ${pct(p.forLift.fixed)} fixed horizon, ${pct(p.forLift.sequential)} sequential`);
  return `${lines.join('\n')}\n`;
}
