// Shared helpers for tests that build small throw-away exptrack projects on disk.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ValidationError, type Diagnostic } from '../../src/spec/diagnostics.js';
import { loadExperiments } from '../../src/spec/load-project.js';
import type { ResolvedExperiment } from '../../src/spec/types.js';

/** The repository root (holds the shipped demo project: exptrack.yaml, models/, specs/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

export const MINIMAL_CONFIG = `name: fixture
default_target: local
targets:
  local:
    type: duckdb
    path: target/fixture.duckdb
`;

/** A valid spec against the repo's models; tests derive broken variants from it by text replacement. */
export const BASE_SPEC = `id: t1
name: Test experiment
owner: someone@example.com
hypothesis: Something gets better.
unit: user
exposure: { source: exposures, experiment_key: t1 }
variants:
  - { key: a, weight: 0.5 }
  - { key: b, weight: 0.5 }
start: 2026-10-04
metrics:
  primary: order_completed
`;

const created: string[] = [];

export interface ProjectFiles {
  /** File name -> text under specs/. */
  specs?: Record<string, string>;
  /** File name -> text under models/; the repo's models/*.yaml when absent. */
  models?: Record<string, string>;
  /** exptrack.yaml text; a minimal duckdb config when absent, the repo's when 'repo'. */
  config?: string | 'repo';
}

/** Writes a temporary project and returns its root. Removed by removeTempProjects(). */
export function tempProject(files: ProjectFiles = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'exptrack-test-'));
  created.push(root);
  if (files.config === 'repo') cpSync(join(REPO_ROOT, 'exptrack.yaml'), join(root, 'exptrack.yaml'));
  else writeFileSync(join(root, 'exptrack.yaml'), files.config ?? MINIMAL_CONFIG);
  mkdirSync(join(root, 'specs'));
  if (files.models) {
    mkdirSync(join(root, 'models'));
    for (const [name, text] of Object.entries(files.models)) writeFileSync(join(root, 'models', name), text);
  } else {
    cpSync(join(REPO_ROOT, 'models'), join(root, 'models'), { recursive: true, filter: (src) => !/\.json$/.test(src) });
  }
  for (const [name, text] of Object.entries(files.specs ?? {})) {
    mkdirSync(dirname(join(root, 'specs', name)), { recursive: true });
    writeFileSync(join(root, 'specs', name), text);
  }
  return root;
}

/** A copy of the shipped demo project (config, models, specs) in a temporary directory. */
export function copyOfDemoProject(): string {
  const root = tempProject({ config: 'repo' });
  cpSync(join(REPO_ROOT, 'specs'), join(root, 'specs'), { recursive: true, filter: (src) => !/\.json$/.test(src) });
  return root;
}

export function removeTempProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function load(root: string, selectors?: string[]): ResolvedExperiment[] {
  return loadExperiments({ root, specsDir: join(root, 'specs'), modelsDir: join(root, 'models'), selectors });
}

/** The diagnostics of a project that must fail validation. */
export function diagnosticsOf(root: string, selectors?: string[]): Diagnostic[] {
  try {
    load(root, selectors);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).diagnostics;
  }
  throw new Error('expected the project to fail validation');
}

/** 1-based line and column of every occurrence of `needle` in `text`. */
export function locateAll(text: string, needle: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = text.slice(0, at);
    out.push({ line: before.split('\n').length, column: at - (before.lastIndexOf('\n') + 1) + 1 });
  }
  return out;
}

/**
 * 1-based line and column of `needle` in `text`, searching after the end of `after` when given.
 * The needle must occur exactly once in the searched part, so a test cannot match the wrong spot.
 */
export function locate(text: string, needle: string, after?: string): { line: number; column: number } {
  let from = 0;
  if (after !== undefined) {
    const a = text.indexOf(after);
    if (a < 0) throw new Error(`anchor ${JSON.stringify(after)} not in fixture`);
    from = a + after.length;
  }
  const hits = locateAll(text.slice(from), needle);
  if (hits.length !== 1) throw new Error(`expected ${JSON.stringify(needle)} exactly once in fixture, found ${hits.length}`);
  const head = text.slice(0, from);
  const headLines = head.split('\n');
  const hit = hits[0];
  return hit.line === 1
    ? { line: headLines.length, column: headLines[headLines.length - 1].length + hit.column }
    : { line: headLines.length - 1 + hit.line, column: hit.column };
}

/** Replaces exactly one occurrence, failing loudly when the fixture text has drifted. */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)} in fixture`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}
