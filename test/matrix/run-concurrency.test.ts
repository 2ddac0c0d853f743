// `exptrack run --concurrency N` (src/run/run-pool.ts) on DuckDB and the real Postgres server: the packages
// are byte for byte those of a run one experiment at a time but for the run id's random part (the
// clock is frozen, so the times agree), the summary keeps spec order, and one experiment failing leaves the others' packages written.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadProjectConfig, type ProjectConfig, type Target } from '../../src/config/project-config.js';
import { verifyPackage } from '../../src/report/verify-package.js';
import { partialRunOf, runProject, type RunSummary } from '../../src/run/run-project.js';
import { demoProject } from '../helpers/demo-project.js';
import { freshDatabaseFrom } from '../helpers/load-demo-into-postgres.js';
import { postgresServer, postgresTarget } from '../helpers/postgres-database.js';

const AS_OF = '2026-10-25T00:00:00.000Z';
let project: string;
let config: ProjectConfig;
beforeAll(async () => {
  project = await demoProject();
  config = loadProjectConfig(project);
}, 120_000);
afterEach(() => {
  vi.useRealTimers();
});

async function targetFor(warehouse: 'duckdb' | 'postgres', withState: boolean): Promise<Target> {
  const state = { incremental: false, lateLookbackSeconds: null, concurrency: null };
  if (warehouse === 'duckdb') {
    const t: Target = { name: 'duck', type: 'duckdb', settings: { path: join(project, 'target', 'demo.duckdb') }, unsetVariables: [] };
    return withState ? { ...t, state: { ...state, writeSchema: join(mkdtempSync(join(tmpdir(), 'exptrack-conc-')), 'state.duckdb') } } : t;
  }
  const server = postgresServer();
  const name = `exptrack_concurrency_${withState ? 'state' : 'plain'}`;
  await freshDatabaseFrom(server, name, join(project, 'target', 'demo.duckdb'));
  const t = postgresTarget(server, name);
  return withState ? { ...t, state: { ...state, writeSchema: 'exptrack_out' } } : t;
}

/**
 * Every file under dir by relative path, with the run ids (random by design, see newRunId) replaced by
 * RUN. SHA256SUMS and chain.log hash files that hold the run id, so they are left out here (verify checks
 * them), and so do manifest.json's file hashes, which become HASH (the files themselves are compared).
 */
function tree(dir: string, runIds: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const norm = (t: string) => runIds.reduce((acc, id) => acc.replaceAll(id, 'RUN'), t);
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n !== 'SHA256SUMS' && n !== 'chain.log') {
        const text = norm(readFileSync(p, 'utf8'));
        out.set(norm(relative(dir, p)), n === 'manifest.json' ? text.replace(/"[0-9a-f]{64}"/g, '"HASH"') : text);
      }
    }
  };
  walk(dir);
  return out;
}

/** The two runs' packages: same files, same bytes but for the run id; each verifies. */
function expectSamePackages(dirA: string, a: RunSummary, dirB: string, b: RunSummary): void {
  for (const e of [...a.experiments, ...b.experiments]) expect(verifyPackage(e.packageDir).ok, e.packageDir).toBe(true);
  const ta = tree(dirA, a.experiments.map((e) => e.runId));
  const tb = tree(dirB, b.experiments.map((e) => e.runId));
  expect([...tb.keys()]).toEqual([...ta.keys()]);
  expect(ta.size).toBeGreaterThan(20);
  for (const [path, text] of ta) expect(tb.get(path), path).toBe(text);
}

/** A run with the clock frozen at one instant, so two runs name and time their packages alike. */
async function frozenRun(target: Target, concurrency: number, reportsDir: string, extra: { incremental?: boolean } = {}) {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-10-25T06:00:00.000Z') });
  try {
    return await runProject({ config, target, selectors: [], asOf: AS_OF, reportsDir, concurrency, ...extra });
  } finally {
    vi.useRealTimers();
  }
}

describe.each(['duckdb', 'postgres'] as const)('run --concurrency on %s', (warehouse) => {
  it('writes the same packages, byte for byte, and lists experiments in spec order', async () => {
    const target = await targetFor(warehouse, false);
    const one = mkdtempSync(join(tmpdir(), 'exptrack-conc-1-'));
    const three = mkdtempSync(join(tmpdir(), 'exptrack-conc-3-'));
    const a = await frozenRun(target, 1, one);
    const b = await frozenRun(target, 3, three);
    expect(a.concurrency).toBe(1);
    expect(b.concurrency).toBe(3);
    expect(b.experiments.map((e) => e.id)).toEqual(a.experiments.map((e) => e.id));
    expect(a.experiments.length).toBeGreaterThan(3);
    expectSamePackages(one, a, three, b);
  }, 300_000);

  it('incremental refreshes and results write-back, four at once: the same packages as one at a time, every write-back done', async () => {
    const oneTarget = await targetFor(warehouse, true);
    const one = mkdtempSync(join(tmpdir(), 'exptrack-conc-s1-'));
    const a = await frozenRun(oneTarget, 1, one, { incremental: true });
    const fourTarget = warehouse === 'duckdb' ? await targetFor(warehouse, true) : { ...oneTarget, state: { ...oneTarget.state!, writeSchema: 'exptrack_out_4' } };
    const four = mkdtempSync(join(tmpdir(), 'exptrack-conc-s4-'));
    const b = await frozenRun(fourTarget, 4, four, { incremental: true });
    for (const s of [...a.experiments, ...b.experiments]) expect(s.warehouseResults, s.id).toMatchObject({ written: true });
    expectSamePackages(one, a, four, b);
  }, 300_000);

  it('one experiment failing leaves the other packages written and verified', async () => {
    const target = await targetFor(warehouse, false);
    const reportsDir = mkdtempSync(join(tmpdir(), 'exptrack-conc-fail-'));
    const ids = (await frozenRun(target, 1, mkdtempSync(join(tmpdir(), 'exptrack-conc-ids-')))).experiments.map((e) => e.id);
    // A file where the experiment's package folder must go: that experiment cannot write its package.
    const victim = ids[1];
    writeFileSync(join(reportsDir, victim), 'not a folder');
    const failure = await frozenRun(target, 3, reportsDir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).not.toBeNull();
    const partial = partialRunOf(failure);
    expect(partial?.failed.map((f) => f.id)).toEqual([victim]);
    expect(partial?.summary.experiments.map((e) => e.id)).toEqual(ids.filter((id) => id !== victim));
    for (const e of partial!.summary.experiments) expect(verifyPackage(e.packageDir).ok, e.id).toBe(true);
  }, 300_000);
});
