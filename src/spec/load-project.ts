import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { unknownName, ValidationError, type Diagnostic } from './diagnostics.js';
import { loadModels, yamlFilesIn } from './load-models.js';
import { resolveSpec } from './resolve-spec.js';
import type { ResolvedExperiment } from './types.js';
import { YamlFile } from './yaml-file.js';

export interface LoadOptions {
  root: string;
  specsDir: string;
  modelsDir: string;
  /** Spec ids or file paths; every spec when empty. */
  selectors?: string[];
}

/**
 * Loads models and the selected specs. Throws ValidationError carrying every problem in every
 * selected file, so nothing is compiled or run from a project with a bad input.
 */
export function loadExperiments(opts: LoadOptions): ResolvedExperiment[] {
  const { models, diagnostics } = loadModels(opts.modelsDir, opts.root);
  if (diagnostics.length) throw new ValidationError(diagnostics);

  const all = yamlFilesIn(opts.specsDir).map((p) => YamlFile.read(p, opts.root));
  const idOf = (f: YamlFile): string => {
    const id = (f.data as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : basename(f.file).replace(/\.ya?ml$/, '');
  };
  let files = all;
  const problems: Diagnostic[] = [];
  if (opts.selectors && opts.selectors.length) {
    files = [];
    for (const sel of opts.selectors) {
      const asPath = resolve(sel);
      const byId = all.find((f) => idOf(f) === sel);
      if (byId) files.push(byId);
      else if (existsSync(asPath) && /\.ya?ml$/.test(asPath)) files.push(YamlFile.read(asPath, opts.root));
      else problems.push({ file: sel, line: 1, column: 1, field: '', message: unknownName('experiment', sel, all.map(idOf)) });
    }
  }

  const experiments: ResolvedExperiment[] = [];
  const ids = new Map<string, string>();
  for (const f of files) {
    const r = resolveSpec(f, models);
    problems.push(...r.diagnostics);
    if (!r.experiment) continue;
    const other = ids.get(r.experiment.id);
    if (other && other !== f.file) {
      problems.push(f.diagnostic(['id'], `experiment id '${r.experiment.id}' is also used by ${other}`));
      continue;
    }
    if (!other) {
      ids.set(r.experiment.id, f.file);
      experiments.push(r.experiment);
    }
  }
  if (problems.length) throw new ValidationError(problems);
  return experiments.sort((a, b) => a.id.localeCompare(b.id));
}
