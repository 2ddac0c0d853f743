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

/**
 * 1-based line and column of `needle` in `text`. The needle must occur exactly once after
 * `after` (or in the whole text), so a test cannot silently match the wrong spot.
 */
export function locate(text: string, needle: string, after?: string): { line: number; column: number } {
  let from = 0;
  if (after !== undefined) {
    from = text.indexOf(after);
    if (from < 0) throw new Error(`anchor ${JSON.stringify(after)} not in fixture`);
  }
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} not in fixture`);
  if (text.indexOf(needle, at + 1) >= 0 && after === undefined) throw new Error(`${JSON.stringify(needle)} occurs more than once in fixture`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Replaces exactly one occurrence, failing loudly when the fixture text has drifted. */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)} in fixture`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}
