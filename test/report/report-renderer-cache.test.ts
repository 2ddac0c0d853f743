import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../src/package-info.js';
import { createReportRenderer } from '../../src/report/render-report.js';
import type { Results } from '../../src/run/results.js';

// The report renderer is kept per templates folder while its files read the same
// (src/report/render-report.ts): an edited section must show in the next report all the same.
describe('report renderer kept for the process', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const results = {
    schemaVersion: 1, tool: { name: 'exptrack', version: 'test' },
    experiment: {
      id: 'e1', name: 'E one', owner: 'o', hypothesis: 'h', unit: 'user', experimentKey: 'e1', start: '2026-10-01T00:00:00.000Z', end: null, control: 'control',
      alpha: 0.05, dimensions: [], specFile: 'specs/e1.yaml', variants: [{ key: 'control', weight: 0.5, isControl: true }, { key: 'b', weight: 0.5, isControl: false }],
      analysis: { test: 'two_sided', correction: 'none', sequential: false, dimensionValues: 10, prior: null, cupedLookbackSeconds: null },
      decisionPolicy: { minRelativeLift: 0.02, whenInconclusive: 'iterate' },
    },
    run: { runId: 'r1', asOf: '2026-10-29T00:00:00.000Z', target: { name: 'local', type: 'duckdb' }, startedAt: '2026-10-29T08:00:05.123Z', finishedAt: '2026-10-29T08:00:09.456Z' },
    bounds: { start: '2026-10-01T00:00:00.000Z', exposureEnd: '2026-10-29T00:00:00.000Z', asOf: '2026-10-29T00:00:00.000Z' },
    exposures: { variants: [], multipleVariantUnits: 0, unknownVariants: [], analysedUnits: 0 },
    sources: [], checks: [], metrics: [], decision: { outcome: 'iterate', reasons: [], winner: null }, data: {}, dataDigest: 'x',
  } as unknown as Results;

  it('renders an edited template and a new section file, and the same bytes while nothing changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exptrack-report-templates-'));
    dirs.push(dir);
    cpSync(join(TEMPLATES_DIR, 'report'), join(dir, 'report'), { recursive: true });
    const main = join(dir, 'report', 'report.md.hbs');
    writeFileSync(main, `{{experiment.id}} first\n${readFileSync(main, 'utf8')}`);
    const before = createReportRenderer(dir)(results);
    expect(before.startsWith('e1 first\n')).toBe(true);
    expect(createReportRenderer(dir)(results)).toBe(before);
    writeFileSync(main, `{{> added_section}}{{experiment.id}} second\n`);
    writeFileSync(join(dir, 'report', 'added_section.md.hbs'), 'Added {{experiment.name}}\nline two\n');
    expect(createReportRenderer(dir)(results)).toBe('Added E one\nline two\ne1 second\n');
  });
});
