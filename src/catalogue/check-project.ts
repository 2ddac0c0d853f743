import type { ProjectConfig, Target } from '../config/project-config.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { loadModels } from '../spec/load-models.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Adapter } from '../warehouse/types.js';
import { checkSources } from './check-sources.js';
import { readCatalogue } from './read-catalogue.js';

/** Names of every source an experiment reads: exposures, metrics, audience filters. */
export function sourcesOf(exp: ResolvedExperiment): string[] {
  const components = exp.metrics.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]));
  return [exp.exposure.source.name, ...components.map((c) => c.source.name), ...exp.exclusions.map((x) => x.source.name)];
}

export interface CheckReport {
  /** Sources checked, by name, with their table. */
  sources: { name: string; table: string }[];
  diagnostics: Diagnostic[];
}

/**
 * Checks the sources the given experiments read against the target's catalogue (table and column
 * names and types only; no table data, nothing written). The adapter is the caller's: `run` checks
 * on the connection it then runs on.
 */
export async function checkExperimentSources(config: ProjectConfig, target: Target, experiments: ResolvedExperiment[], adapter: Adapter, signal?: AbortSignal): Promise<CheckReport> {
  const { models } = loadModels(config.paths.models, config.root);
  const names = [...new Set(experiments.flatMap(sourcesOf))].sort();
  const tables = names.map((n) => models.sources.get(n)?.value.table).filter((t): t is string => t !== undefined);
  const catalogue = await readCatalogue(adapter, target, tables, signal);
  return {
    sources: names.map((name) => ({ name, table: models.sources.get(name)?.value.table ?? '' })),
    diagnostics: checkSources(models, names, catalogue),
  };
}
