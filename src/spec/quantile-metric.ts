import type { Diagnostic } from './diagnostics.js';
import type { MetricInput } from './schemas.js';
import type { YamlFile } from './yaml-file.js';

/** The quantile levels README documents; any level strictly between 0 and 1 is accepted. */
export const QUANTILE_LEVEL_EXAMPLES = [0.5, 0.9, 0.99];

/**
 * Checks the quantile-only fields of one model metric (`quantile`, `level`, `ignore_zeros`), with
 * file, line and column.
 */
export function quantileFieldDiagnostics(
  m: { file: YamlFile; path: (string | number)[]; value: MetricInput },
  at: (field: string) => (string | number)[],
  out: Diagnostic[],
): void {
  const v = m.value;
  if (v.type !== 'quantile') {
    for (const f of ['quantile', 'level', 'ignore_zeros'] as const) {
      if (v[f] !== undefined) out.push(m.file.diagnostic(at(f), `${f} is only used by quantile metrics`));
    }
    return;
  }
  if (v.quantile === undefined) {
    out.push(m.file.diagnostic(m.path, `a quantile metric needs a quantile level strictly between 0 and 1 (for example quantile: ${QUANTILE_LEVEL_EXAMPLES.join(', quantile: ')})`));
  }
}
