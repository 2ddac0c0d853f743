import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ResolvedExperiment } from '../spec/types.js';
import { canonicalJson, sha256 } from '../util/digest.js';

function templateDigests(templatesDir: string, warehouse: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const folder of ['steps', 'default', warehouse]) {
    const dir = join(templatesDir, 'sql', folder);
    let names: string[] = [];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isFile()) out[relative(templatesDir, p)] = sha256(readFileSync(p, 'utf8'));
    }
  }
  return out;
}

/**
 * What the stored state depends on: the experiment's definition as resolved (exposure, variants,
 * metrics with their models, filters, dimensions, dates, analysis settings), every SQL template the
 * warehouse can use, and the tool version. Text that cannot change a number (name, owner,
 * hypothesis, checks, decision policy) is left out, so editing it keeps the state.
 */
export function stateFingerprint(exp: ResolvedExperiment, warehouse: string, templatesDir: string, toolVersion: string): string {
  const definition = {
    unit: exp.unit,
    exposure: exp.exposure,
    variants: exp.variants.map((v) => v.key),
    start: exp.start,
    end: exp.end,
    exclusions: exp.exclusions,
    metrics: exp.metrics,
    dimensions: exp.dimensions,
    analysis: exp.analysis,
  };
  return sha256(canonicalJson({ definition, warehouse, templates: templateDigests(templatesDir, warehouse), toolVersion }));
}
