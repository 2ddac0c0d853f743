import { unknownName, type Diagnostic } from './diagnostics.js';
import type { Located } from './load-models.js';
import type { SourceInput } from './schemas.js';
import type { ResolvedSource } from './types.js';

/** A dimension read from an attribute table: joined on the unit, one value per unit. */
export interface AttributeDimension {
  /** As written in the spec: `<source>.<column>`. */
  name: string;
  source: ResolvedSource;
  column: string;
}

/**
 * The spec's `dimensions`: a bare name is a dimension of the exposure source (valued at first
 * exposure); `<source>.<column>` is a column of an attribute table (a source without timestamp),
 * joined on the unit. Attribute-table columns need no `dimensions:` list in the model: the table
 * has no time, so any declared column is a property of the unit.
 */
export function resolveDimensions(
  dimensions: string[],
  exposure: Located<SourceInput> | undefined,
  sources: Map<string, Located<SourceInput>>,
  unit: string,
  resolve: (src: Located<SourceInput>) => ResolvedSource,
  diagnostic: (path: (string | number)[], message: string) => Diagnostic,
  useFile: (file: string) => void,
): { attributes: AttributeDimension[]; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const attributes: AttributeDimension[] = [];
  const attributeTables = [...sources.values()].filter((s) => !s.value.timestamp).map((s) => s.name);
  dimensions.forEach((d, i) => {
    const path = ['dimensions', i];
    const dot = d.indexOf('.');
    const sourceName = dot < 0 ? null : d.slice(0, dot);
    const column = dot < 0 ? d : d.slice(dot + 1);
    if (sourceName === null || sourceName === exposure?.name) {
      if (exposure && !exposure.value.dimensions.includes(column)) {
        const hint = attributeTables.length ? `; a column of an attribute table is written <source>.<column> (attribute tables: ${attributeTables.sort().join(', ')})` : '';
        out.push(diagnostic(path, `${unknownName('dimension', column, exposure.value.dimensions, `of source '${exposure.name}'`)}${hint}`));
      }
      return;
    }
    const src = sources.get(sourceName);
    if (!src) {
      out.push(diagnostic(path, unknownName('source', sourceName, [...sources.keys()])));
      return;
    }
    useFile(src.file.file);
    if (src.value.timestamp) {
      out.push(diagnostic(path, `source '${sourceName}' has a timestamp: only the exposure source's dimensions and attribute tables (no timestamp) can break results down`));
      return;
    }
    if (!(unit in src.value.units)) {
      out.push(diagnostic(path, `source '${sourceName}' has no id column for unit '${unit}' (it has: ${Object.keys(src.value.units).join(', ')})`));
      return;
    }
    if (!(column in src.value.columns)) {
      out.push(diagnostic(path, unknownName('declared column', column, Object.keys(src.value.columns), `of source '${sourceName}'`)));
      return;
    }
    if (dimensions.indexOf(d) !== i) {
      out.push(diagnostic(path, `dimension '${d}' is listed twice`));
      return;
    }
    attributes.push({ name: d, source: resolve(src), column });
  });
  return { attributes, diagnostics: out };
}
