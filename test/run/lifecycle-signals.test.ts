// Every lifecycle code of `run --json`, produced by real runs on the demo warehouse with specs that
// differ from the demo's in one setting each, and absent where its condition does not hold.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { DEMO_AS_OF } from '../../src/demo/build-demo-data.js';
import { LIFECYCLE_CODES, type LifecycleSignal } from '../../src/lifecycle/lifecycle-signals.js';
import { runProject, type ExperimentRunSummary } from '../../src/run/run-project.js';
import { demoProject, REPO_ROOT } from '../helpers/demo-project.js';

let project: string;
const byId = new Map<string, ExperimentRunSummary>();
let secondRun: ExperimentRunSummary;

/** A copy of a demo spec under a new id (same experiment key, same data) with extra top-level YAML. */
function variantSpec(from: string, id: string, extra: string): void {
  const text = readFileSync(join(project, 'specs', `${from}.yaml`), 'utf8').replace(`id: ${from}\n`, `id: ${id}\n`);
  writeFileSync(join(project, 'specs', `${id}.yaml`), `${text}${extra}\n`);
}

const codes = (s: ExperimentRunSummary) => s.lifecycle.map((l) => l.code).sort();
const find = (id: string, code: string) => byId.get(id)!.lifecycle.find((l) => l.code === code);

beforeAll(async () => {
  project = await demoProject();
  variantSpec('checkout_redesign', 'lc_concluded', 'end: 2026-10-31');
  variantSpec('homepage_aa', 'lc_small', 'checks: { insufficient_samples: { min_units: 1000000 } }');
  variantSpec('homepage_aa', 'lc_large_split', 'checks: { large_split: { max_weight: 0.4 } }');
  variantSpec('homepage_aa', 'lc_stall_limit', 'lifecycle: { stall_after: 10d }');
  const config = loadProjectConfig(project);
  const target = getTarget(config, undefined);
  // homepage_aa is scheduled daily, so its stall watch is on: the demo's last first exposure is 8 days before as-of.
  const ids = ['checkout_redesign', 'homepage_aa', 'lc_concluded', 'lc_small', 'lc_large_split', 'lc_stall_limit'];
  const first = await runProject({ config, target, selectors: ids, asOf: DEMO_AS_OF });
  for (const e of first.experiments) byId.set(e.id, e);
  secondRun = (await runProject({ config, target, selectors: ['checkout_redesign'], asOf: DEMO_AS_OF })).experiments[0];
}, 180_000);

describe('lifecycle signals in run --json', () => {
  it('EXPERIMENT_STARTED on the first package of an experiment only', () => {
    expect(find('checkout_redesign', 'EXPERIMENT_STARTED')).toMatchObject({ severity: 'info' });
    expect(secondRun.chainSequence).toBe(2);
    expect(codes(secondRun)).not.toContain('EXPERIMENT_STARTED');
  });

  it('EXPERIMENT_RESULT for a ship at the planned horizon, not for the same ship before the end of a fixed-horizon test', () => {
    expect(byId.get('lc_concluded')!.recommendation).toBe('ship');
    expect(find('lc_concluded', 'EXPERIMENT_RESULT')).toMatchObject({ severity: 'info', message: 'Ship one_page at the planned horizon.' });
    expect(byId.get('checkout_redesign')!.recommendation).toBe('ship');
    expect(codes(byId.get('checkout_redesign')!)).not.toContain('EXPERIMENT_RESULT');
  });

  it('EXPERIMENT_INSUFFICIENT_SAMPLES when an arm is below min_units', () => {
    expect(find('lc_small', 'EXPERIMENT_INSUFFICIENT_SAMPLES')).toMatchObject({ severity: 'warn' });
    expect(codes(byId.get('lc_large_split')!)).not.toContain('EXPERIMENT_INSUFFICIENT_SAMPLES');
  });

  it('EXPERIMENT_LARGE_SPLIT_WARN with the sign-off requirement', () => {
    const s = find('lc_large_split', 'EXPERIMENT_LARGE_SPLIT_WARN') as LifecycleSignal;
    expect(s).toMatchObject({ severity: 'warn', requiresSignOff: true });
    expect(s.action).toContain('--acknowledge');
    expect(codes(byId.get('lc_small')!)).not.toContain('EXPERIMENT_LARGE_SPLIT_WARN');
  });

  it('EXPERIMENT_STALLED when a scheduled spec has had no new unit for longer than the limit; not for an unscheduled one, nor within a longer limit', () => {
    const s = find('homepage_aa', 'EXPERIMENT_STALLED')!;
    expect(s).toMatchObject({ severity: 'warn' });
    expect(s.message).toMatch(/^Stalled for longer than 48 h: the newest unit was first exposed at 2026-10-2\d/);
    expect(codes(byId.get('checkout_redesign')!)).not.toContain('EXPERIMENT_STALLED');
    // 10 days: the newest first exposure (about 8 days before as-of) and the fresh sources are within it.
    expect(codes(byId.get('lc_stall_limit')!)).not.toContain('EXPERIMENT_STALLED');
  });

  it('leave the exit code and the recommendation to the checks', () => {
    // Warn-severity checks only (homepage_aa also leaves the models' internal traffic in: MARKED_TRAFFIC).
    expect(byId.get('lc_large_split')!.failedChecks).toContainEqual({ reasonCode: 'LARGE_SPLIT_WARN', severity: 'warn' });
    for (const id of ['lc_large_split', 'homepage_aa']) {
      expect(byId.get(id)!.failedChecks.every((c) => c.severity === 'warn'), id).toBe(true);
      expect(byId.get(id)!.recommendation, id).not.toBe('rerun');
    }
  });
});

describe('the README orchestrator table', () => {
  it('maps every lifecycle code and every check reason code to an action', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Codes and orchestrator actions'));
    for (const code of [...Object.keys(LIFECYCLE_CODES), ...CHECKS.map((c) => c.reasonCode)]) {
      expect(section, code).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
    }
  });
});
