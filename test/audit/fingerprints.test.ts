import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rerunPackage } from '../../src/audit/rerun-package.js';
import type { SourceFingerprint } from '../../src/audit/fingerprints.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { auditProject, execWarehouse, runExperiment } from './audit-project.js';

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { fingerprints: SourceFingerprint[]; dataDigest: string };
const resultsOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const fp = (dir: string, source: string) => manifestOf(dir).fingerprints.find((f) => f.source === source)!;

let project: string;
let first: string;
const target = () => {
  const config = loadProjectConfig(project);
  return { config, target: getTarget(config, undefined) };
};

beforeAll(async () => {
  project = await auditProject();
  first = await runExperiment(project);
});

describe('input fingerprints', () => {
  it('cover every source the experiment reads, with the reads that define the rows', () => {
    const m = manifestOf(first);
    expect(m.fingerprints.map((f) => f.source)).toEqual(['exposures', 'web_events']);
    const exp = fp(first, 'exposures');
    expect(exp.reads.map((r) => r.kind)).toEqual(['exposure', 'filter']);
    expect(exp.reads[0]).toMatchObject({ experimentKey: 'checkout_redesign', start: '2026-10-04T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' });
    expect(exp.rows).toBeGreaterThan(1000);
    expect(exp.hash).toMatch(/^[0-9a-f]{16}$/);
    // Per-day counts add up to the whole read.
    expect(Object.values(exp.days).reduce((a, d) => a + d.rows, 0)).toBe(exp.rows);
    expect(readFileSync(join(first, 'report.md'), 'utf8')).toContain(`| exposures | ${exp.rows.toLocaleString('en-US')} |`);
  });

  it('re-running on unchanged data reproduces results and fingerprints exactly, and verify --rerun says so', async () => {
    const again = await runExperiment(project);
    expect(manifestOf(again).fingerprints).toEqual(manifestOf(first).fingerprints);
    expect(resultsOf(again).metrics).toEqual(resultsOf(first).metrics);
    expect(manifestOf(again).dataDigest).toBe(manifestOf(first).dataDigest);
    const { config, target: t } = target();
    const r = await rerunPackage(first, t, config.root);
    expect(r.inputs?.same).toBe(true);
    expect(r.results?.same).toBe(true);
    expect(r.verdict).toMatch(/^reproduced/);
  });

  it('after an engine upgrade that changes the row hash, --rerun says the fingerprints are not comparable, not that the data changed', async () => {
    const { config, target: t } = target();
    const dialect = getWarehouse('duckdb').dialect;
    const current = dialect.rowHashId;
    // What a newer DuckDB would report; the recorded package keeps the old id.
    dialect.rowHashId = 'duckdb hash() of the typed columns, 9.9.9';
    try {
      const r = await rerunPackage(first, t, config.root);
      expect(r.inputs).toBeNull();
      expect(r.verdict).toBe(`input fingerprints not comparable: the row hash changed (${current} → duckdb hash() of the typed columns, 9.9.9); results the same`);
    } finally {
      dialect.rowHashId = current;
    }
  });

  it('a changed row outside every read leaves the fingerprints alone', async () => {
    await execWarehouse(project, "UPDATE main.web_events SET amount = amount + 1 WHERE rowid = (SELECT min(rowid) FROM main.web_events WHERE event_at < TIMESTAMP '2026-10-04')");
    const pkg = await runExperiment(project);
    expect(manifestOf(pkg).fingerprints).toEqual(manifestOf(first).fingerprints);
  });

  it("changing one column of one row inside the window changes that source's fingerprint (and that day's) only; --rerun tells data changes apart", async () => {
    // loaded_at of a mid-window event: read and hashed, but no metric uses it.
    await execWarehouse(project, "UPDATE main.web_events SET loaded_at = loaded_at + INTERVAL 1 SECOND WHERE rowid = (SELECT min(rowid) FROM main.web_events WHERE event_at >= TIMESTAMP '2026-10-10' AND event_at < TIMESTAMP '2026-10-11')");
    const changed = await runExperiment(project);
    expect(fp(changed, 'web_events').hash).not.toBe(fp(first, 'web_events').hash);
    expect(fp(changed, 'web_events').rows).toBe(fp(first, 'web_events').rows);
    expect(fp(changed, 'exposures')).toEqual(fp(first, 'exposures'));
    const days = Object.keys(fp(first, 'web_events').days).filter((d) => fp(first, 'web_events').days[d].hash !== fp(changed, 'web_events').days[d].hash);
    expect(days).toEqual(['2026-10-10']);
    expect(readFileSync(join(changed, 'CHANGELOG.md'), 'utf8')).toMatch(/web_events: rows changed over the same read .*days that differ: 2026-10-10/);

    const { config, target: t } = target();
    const sameResults = await rerunPackage(first, t, config.root);
    expect(sameResults.inputs?.same).toBe(false);
    expect(sameResults.inputs?.sources.find((s) => s.source === 'web_events')).toMatchObject({ same: false, changedDays: ['2026-10-10'] });
    expect(sameResults.inputs?.sources.find((s) => s.source === 'exposures')?.same).toBe(true);
    expect(sameResults.results?.same).toBe(true);
    expect(sameResults.verdict).toBe('the input data changed, but the results are the same');

    // An order amount: both the fingerprint and the revenue numbers move.
    await execWarehouse(
      project,
      `UPDATE main.web_events SET amount = amount + 5 WHERE rowid = (
         SELECT min(w.rowid) FROM main.web_events AS w
         JOIN (SELECT user_id, min(exposed_at) AS f FROM main.exposures WHERE experiment_key = 'checkout_redesign' AND NOT is_employee GROUP BY user_id) AS e USING (user_id)
         WHERE w.event_name = 'order_completed' AND w.amount > 0 AND w.event_at >= e.f AND w.event_at < e.f + INTERVAL 1 DAY
           AND w.event_at >= TIMESTAMP '2026-10-12' AND w.event_at < TIMESTAMP '2026-10-13')`,
    );
    const both = await rerunPackage(changed, t, config.root);
    expect(both.inputs?.sources.find((s) => s.source === 'web_events')).toMatchObject({ same: false, changedDays: ['2026-10-12'] });
    expect(both.results?.steps.find((s) => s.step === 'metrics')?.same).toBe(false);
    expect(both.verdict).toBe('the input data changed, and so did the results');
  });

  it('a later as-of compares the whole days both runs cover', async () => {
    const earlier = await runExperiment(project, 'checkout_redesign', '2026-10-20T12:00:00Z');
    const later = await runExperiment(project);
    const log = readFileSync(join(later, 'CHANGELOG.md'), 'utf8');
    expect(log).toContain('as-of 2026-10-20T12:00:00.000Z → 2026-11-01T00:00:00.000Z');
    expect(log).toContain('web_events: unchanged over 30 common day(s) 2026-09-20 to 2026-10-19');
    // 30 days, not 16: the metric scan, and so the fingerprint, starts a 14-day CUPED lookback early.
    expect(earlier).not.toBe(later);
  });
});
