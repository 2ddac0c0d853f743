import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileProject } from '../src/compile/compile-project.js';
import { getTarget, loadProjectConfig } from '../src/config/project-config.js';
import { BENCH_AS_OF } from './bench-data-sql.js';
import { BENCH_SOURCES } from './bench-project.js';
import { median } from './bench-stats.js';
import { mulberry32 } from './mulberry32.js';

const EVENTS = ['purchase', 'add_to_cart', 'page_view', 'session_start', 'checkout_error'];
const KINDS = ['proportion', 'mean', 'count'] as const;
const FILTERS = {
  employees: { source: 'exposures', where: 'is_employee = true' },
  bots: { source: 'events', where: "event_name = 'page_view' and amount is not null" },
  big_spenders: { source: 'events', where: 'amount > 5000' },
};

/** A models file with 60 metrics of every type over the bench sources, and three audience filters. */
function corpusModels(rand: () => number): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (let i = 0; i < 60; i++) {
    const kind = KINDS[i % KINDS.length];
    const event = EVENTS[Math.floor(rand() * EVENTS.length)];
    const m: Record<string, unknown> = { type: kind, source: 'events', filter: `event_name = '${event}'` };
    if (kind === 'mean') m.value = rand() < 0.5 ? 'amount' : 'coalesce(amount, 0) * 1.2';
    if (rand() < 0.7) m.window = { delay: `${Math.floor(rand() * 24)}h`, duration: `${1 + Math.floor(rand() * 14)}d` };
    if (rand() < 0.2) m.higher_is_better = false;
    metrics[`metric_${i}`] = m;
  }
  return { sources: BENCH_SOURCES, metrics, filters: FILTERS };
}

function corpusSpec(i: number, rand: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[], n: number) => [...xs].sort(() => rand() - 0.5).slice(0, n);
  const nVariants = 2 + Math.floor(rand() * 3);
  const metrics = pick(Array.from({ length: 60 }, (_, k) => `metric_${k}`), 1 + Math.floor(rand() * 8));
  const [primary, ...others] = metrics;
  const guardrails = others.filter(() => rand() < 0.25);
  const spec: Record<string, unknown> = {
    id: `spec_${String(i).padStart(4, '0')}`,
    name: `Generated spec ${i}`,
    owner: 'bench@example.com',
    hypothesis: 'Generated for the compile throughput benchmark.',
    unit: 'user',
    exposure: { source: 'exposures', experiment_key: `exp_${i}` },
    variants: Array.from({ length: nVariants }, (_, k) => ({ key: k === 0 ? 'control' : `v${k}`, weight: 1 / nVariants })),
    start: '2026-10-01',
    metrics: {
      primary,
      secondary: others.filter((m) => !guardrails.includes(m)),
      guardrails: guardrails.map((metric) => ({ metric, max_relative_harm: 0.05 })),
    },
    dimensions: pick(['country', 'platform'], Math.floor(rand() * 3)),
    alpha: rand() < 0.5 ? 0.05 : 0.01,
  };
  if (rand() < 0.5) spec.end = '2026-10-20';
  if (rand() < 0.6) spec.audience = { exclude: pick(Object.keys(FILTERS), 1 + Math.floor(rand() * 3)) };
  if (rand() < 0.3) spec.checks = { srm: { p_value: 0.0001 }, multiple_exposure: { max_share: 0.02 } };
  return spec;
}

/** Writes a project with `count` valid, varied specs (seeded) and returns its directory. */
export function writeSpecCorpus(dir: string, count: number, seed: number): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'specs'), { recursive: true });
  mkdirSync(join(dir, 'models'), { recursive: true });
  const rand = mulberry32(seed);
  writeFileSync(
    join(dir, 'exptrack.yaml'),
    stringify({ name: 'exptrack-compile-bench', default_target: 'bench', as_of: BENCH_AS_OF, targets: { bench: { type: 'duckdb', path: 'unused.duckdb' } } }),
  );
  writeFileSync(join(dir, 'models', 'corpus.yaml'), stringify(corpusModels(rand), { lineWidth: 0 }));
  for (let i = 0; i < count; i++) {
    writeFileSync(join(dir, 'specs', `spec_${String(i).padStart(4, '0')}.yaml`), stringify(corpusSpec(i, rand), { lineWidth: 0 }));
  }
  return dir;
}

export interface CompileThroughput {
  specs: number;
  reps: number;
  medianMs: number;
  allMs: number[];
  medianCpuMs: number;
  sqlBytes: number;
}

/** Validate and compile every spec of the corpus (compileProject, in process), `reps` times. */
export function measureCompileThroughput(dir: string, count: number, reps: number, seed: number): CompileThroughput {
  writeSpecCorpus(dir, count, seed);
  const allMs: number[] = [];
  const cpuMs: number[] = [];
  let sqlBytes = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const config = loadProjectConfig(dir);
    const result = compileProject(config, getTarget(config, undefined), [], BENCH_AS_OF);
    allMs.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
    if (result.compiled.length !== count) throw new Error(`compiled ${result.compiled.length} of ${count} specs`);
    sqlBytes = result.compiled.reduce((a, c) => a + c.steps.reduce((b, s) => b + s.sql.length, 0), 0);
  }
  return { specs: count, reps, medianMs: median(allMs), allMs, medianCpuMs: median(cpuMs), sqlBytes };
}
