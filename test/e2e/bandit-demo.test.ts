import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { demoProject } from '../helpers/demo-project.js';

// The README's bandit example: the demo's checkout experiment (planted 12% -> 16%) with bandit advice on.
let results: Results;
let report: string;
let again: string;

beforeAll(async () => {
  const project = await demoProject();
  const spec = readFileSync(join(project, 'specs', 'checkout_redesign.yaml'), 'utf8')
    .replace('id: checkout_redesign', 'id: checkout_bandit')
    .replace('alpha: 0.05', 'alpha: 0.05\nanalysis: { bandit: { min_share: 0.1 } }');
  writeFileSync(join(project, 'specs', 'checkout_bandit.yaml'), spec);
  const config = loadProjectConfig(project);
  const run = async () => {
    const s = await runProject({ config, target: getTarget(config, undefined), selectors: ['checkout_bandit'], asOf: config.asOf! });
    return s.experiments[0].packageDir;
  };
  const dir = await run();
  results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  report = readFileSync(join(dir, 'report.md'), 'utf8');
  again = JSON.stringify(JSON.parse(readFileSync(join(await run(), 'results.json'), 'utf8')).bandit);
});

describe('bandit allocation advice on the demo warehouse', () => {
  it('advises most traffic for the planted winner, keeping the minimum share for control', () => {
    const b = results.bandit!;
    const arm = (v: string) => b.arms.find((a) => a.variant === v)!;
    expect(arm('one_page').probabilityBest).toBeGreaterThan(0.99);
    expect(arm('control').advisedWeight).toBeCloseTo(0.1, 12);
    expect(arm('one_page').advisedWeight).toBeCloseTo(0.9, 12);
    expect(arm('control').plannedWeight).toBe(0.5);
  });

  it('reports the advice with its assumptions, and the same numbers at every run', () => {
    expect(report).toContain('### Bandit allocation advice');
    expect(report).toContain('exptrack never changes traffic');
    expect(again).toBe(JSON.stringify(results.bandit));
  });
});
