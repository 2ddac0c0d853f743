import type { CompiledExperiment } from '../compile/compile-experiment.js';
import type { ResolvedExperiment, ResolvedSource } from '../spec/types.js';
import { WarehouseError } from '../warehouse/types.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every source of the experiment by name. */
function sourcesOf(exp: ResolvedExperiment): Map<string, ResolvedSource> {
  const components = exp.metrics.flatMap((m) => (m.denominator ? [m.numerator, m.denominator] : [m.numerator]));
  return new Map([exp.exposure.source, ...components.map((c) => c.source), ...exp.exclusions.map((x) => x.source)].map((s) => [s.name, s]));
}

const describe = (s: ResolvedSource) => `source '${s.name}' (table ${s.table}${s.location ? `, ${s.location}` : ''})`;

/**
 * A warehouse error in the user's words: the spec and step, and every internal alias or column the
 * message mentions (s1, source_1_units, m_2_y) as the source or metric it stands for, with the model
 * file and line it came from. The kind and context are kept, so --json and exit codes do not change.
 */
export function explainWarehouseError(e: WarehouseError, exp: ResolvedExperiment, compiled: CompiledExperiment): WarehouseError {
  const prefix = `${e.ctx.target}: ${e.ctx.experiment} ${e.ctx.step}: `;
  const original = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  const sources = sourcesOf(exp);
  const notes: string[] = [];
  for (const [alias, name] of Object.entries(compiled.sourceAliases)) {
    // Quoted, or qualifying a column (s1.col): never a bare letter inside a word.
    if (new RegExp(`["'\`]${escape(alias)}["'\`]|\\b${escape(alias)}\\.`).test(original)) {
      const s = sources.get(name);
      if (s) notes.push(`'${alias}' is ${describe(s)}`);
    }
  }
  for (const m of original.matchAll(/\bm_(\d+)_([ydxe])\b/g)) {
    const metric = exp.metrics[Number(m[1]) - 1];
    if (metric) notes.push(`'${m[0]}' is metric '${metric.name}'${metric.numerator.location ? ` (${metric.numerator.location})` : ''}`);
  }
  if (notes.length === 0) {
    // Nothing to decode: say which sources the step reads, so the user knows where to look.
    const read = e.ctx.step === 'exposures' ? [exp.exposure.source, ...exp.exclusions.map((x) => x.source)] : [...sources.values()];
    notes.push(`the step reads ${[...new Map(read.map((s) => [s.name, s])).values()].map(describe).join(', ')}`);
  }
  const where = `spec ${exp.specFile}, step ${e.ctx.step}; ${[...new Set(notes)].join('; ')}`;
  return new WarehouseError(`${original}\n  (${where}; \`exptrack check\` compares the models with the warehouse catalogue)`, e.ctx, e.kind);
}
