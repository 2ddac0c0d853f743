// Does `exptrack plan` predict the power it claims? Runs the plan on the demo warehouse for the
// planted-lift experiment (checkout_redesign, +33.3% relative), then simulates experiments of the
// planned size from the measured baseline with that lift, tests each with the same statistics as
// `exptrack run`, and prints predicted vs simulated power (target: within 3 percentage points).
// Not a unit test. Run with `npm run calibrate:plan`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { getTarget, loadProjectConfig } from '../src/config/project-config.js';
import { buildDemoData, DEMO_TRUTH } from '../src/demo/build-demo-data.js';
import { planExperiment } from '../src/plan/plan-experiment.js';
import { compareTreatment } from '../src/stats/index.js';
import { databasePath } from '../src/warehouse/duckdb/adapter.js';
import { duckdbConfigSchema } from '../src/warehouse/duckdb/config.js';
import { mulberry32 } from './mulberry32.js';

const SIMULATIONS = Number(process.env.SIMULATIONS ?? 4000);
const truth = DEMO_TRUTH.experiments.checkout_redesign;
const LIFT = truth.rates.one_page / truth.rates.control - 1;

const root = resolve(process.argv[2] ?? '.');
const config = loadProjectConfig(root);
const target = getTarget(config, undefined);
const db = databasePath(duckdbConfigSchema.parse(target.settings), root);
if (!existsSync(db)) await buildDemoData(db);

const u = mulberry32(20261122);
const binomial = (n: number, p: number) => {
  let k = 0;
  for (let i = 0; i < n; i++) if (u() < p) k++;
  return k;
};

console.log(`planted lift ${(LIFT * 100).toFixed(1)}%, ${SIMULATIONS} simulated experiments per row`);
console.log('days | units/arm | predicted fixed | simulated fixed | diff (pp) | predicted sequential | simulated sequential | diff (pp)');
let worst = 0;
for (const days of [1, 2, 3]) {
  const plan = await planExperiment(config, target, 'checkout_redesign', { asOf: config.asOf!, lookbackDays: 28, days, mde: null, lift: LIFT, power: 0.8 });
  const [na, nb] = plan.forDuration.fixed.unitsPerArm.map((x) => Math.round(x));
  const p = plan.baseline.mean;
  let fixed = 0;
  let sequential = 0;
  for (let s = 0; s < SIMULATIONS; s++) {
    const a = binomial(na, p);
    const b = binomial(nb, p * (1 + LIFT));
    const arm = (n: number, k: number) => ({ kind: 'proportion' as const, n, y: { sum: k, sumSquares: k } });
    const opts = { alpha: plan.alpha, sides: plan.sides };
    if (compareTreatment(arm(na, a), arm(nb, b), opts).relative.pValue < plan.alpha) fixed++;
    if (compareTreatment(arm(na, a), arm(nb, b), { ...opts, sequential: { tuning: 5000 } }).relative.pValue < plan.alpha) sequential++;
  }
  const simFixed = fixed / SIMULATIONS;
  const simSeq = sequential / SIMULATIONS;
  const d1 = (simFixed - plan.forLift!.fixed) * 100;
  const d2 = (simSeq - plan.forLift!.sequential) * 100;
  worst = Math.max(worst, Math.abs(d1), Math.abs(d2));
  console.log(`${days} | ${na} | ${plan.forLift!.fixed.toFixed(3)} | ${simFixed.toFixed(3)} | ${d1.toFixed(1)} | ${plan.forLift!.sequential.toFixed(3)} | ${simSeq.toFixed(3)} | ${d2.toFixed(1)}`);
}
console.log(`largest difference ${worst.toFixed(1)} pp (target <= 3 pp; Monte Carlo standard error about ${(100 * Math.sqrt(0.25 / SIMULATIONS)).toFixed(1)} pp)`);
