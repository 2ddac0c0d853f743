// The demo specs compiled for any registered warehouse, without a connection: the Target carries
// only the warehouse type (compile never reads settings), so no credentials or servers are needed.
import { compileProject, type CompileResult } from '../../src/compile/compile-project.js';
import { loadProjectConfig, type Target } from '../../src/config/project-config.js';
import type { ResolvedSource } from '../../src/spec/types.js';
import { REPO_ROOT } from '../helpers/demo-project.js';

/** The demo's pinned analysis time (exptrack.yaml as_of), so golden files never move with the clock. */
export const GOLDEN_AS_OF = '2026-11-01T00:00:00Z';

export function placeholderTarget(warehouse: string): Target {
  return { name: `golden-${warehouse}`, type: warehouse, settings: {}, unsetVariables: [] };
}

export function compileDemoFor(warehouse: string, root = REPO_ROOT): CompileResult {
  return compileProject(loadProjectConfig(root, {}), placeholderTarget(warehouse), [], GOLDEN_AS_OF);
}

export interface CompiledQuery {
  /** `<spec id>/<step file>` */
  key: string;
  experiment: string;
  file: string;
  sql: string;
  bounds: { start: string; exposureEnd: string; asOf: string };
  /** Every source the experiment reads, by table name as written in the models. */
  sources: Map<string, ResolvedSource>;
  exposureTable: string;
  /** How long before the start metric scans begin (the CUPED lookback), in ms. */
  lookbackMs: number;
}

export function compiledQueries(r: CompileResult): CompiledQuery[] {
  return r.compiled.flatMap((c, i) => {
    const exp = r.experiments[i];
    const sources = new Map<string, ResolvedSource>();
    const components = exp.metrics.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]));
    for (const s of [exp.exposure.source, ...components.map((c) => c.source), ...exp.exclusions.map((x) => x.source), ...(exp.attributeDimensions ?? []).map((d) => d.source)]) sources.set(s.table, s);
    const lookbackMs = (exp.analysis.cupedLookbackSeconds ?? 0) * 1000;
    return c.steps.map((s) => ({ key: `${c.experimentId}/${s.file}`, experiment: c.experimentId, file: s.file, sql: s.sql, bounds: c.bounds, sources, exposureTable: exp.exposure.source.table, lookbackMs }));
  });
}
