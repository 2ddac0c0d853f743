// A small seeded corpus of the fuzz harness (npm run fuzz): mutated demo specs and models, each
// compiled in process, must compile or fail with located diagnostics in exptrack's own words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { checkProject, demoFiles, writeProject } from '../../bench/fuzz-check.js';
import { fuzzInput } from '../../bench/fuzz-mutate.js';
import { REPO_ROOT } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'exptrack-fuzz-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('120 seeded mutations: no crash, no unlocated diagnostic', () => {
  const files = demoFiles(REPO_ROOT);
  const failures: string[] = [];
  const kinds = new Set<string>();
  for (let i = 0; i < 120; i++) {
    const input = fuzzInput(files, 11, i);
    writeProject(dir, input.files);
    const outcome = checkProject(dir);
    kinds.add(outcome.kind);
    if (outcome.kind === 'crash' || outcome.kind === 'unlocated') failures.push(`#${i} ${input.file} (${input.ops.join(', ')}): ${outcome.kind}: ${outcome.detail}`);
    // The next input starts from the demo files again.
    writeProject(dir, files);
  }
  expect(failures).toEqual([]);
  // The corpus exercises both refusals and inputs that still compile.
  expect([...kinds].sort()).toEqual(['compiled', 'located']);
});

it('the checker is not blind: an engine error message in a diagnostic, or a missing line, is reported', () => {
  writeProject(dir, demoFiles(REPO_ROOT));
  expect(checkProject(dir).kind).toBe('compiled');
  const broken = new Map(demoFiles(REPO_ROOT));
  broken.set('specs/homepage_aa.yaml', 'id: [');
  writeProject(dir, broken);
  expect(checkProject(dir).kind).toBe('located');
});
