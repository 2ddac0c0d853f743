import type { Target } from '../config/project-config.js';
import { createSqlRenderer } from '../compile/sql-templates.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../package-info.js';
import { getWarehouse } from '../warehouse/registry.js';
import type { Adapter } from '../warehouse/types.js';
import { catalogueFromRows, type Catalogue } from './catalogue.js';

/** The SQL that reads table and column names and types (templates/sql/steps/catalogue.sql.hbs). */
export function catalogueSql(target: Target, tableRefs: string[]): string {
  const warehouse = getWarehouse(target.type);
  const renderer = createSqlRenderer(TEMPLATES_DIR, warehouse.name, warehouse.dialect, PACKAGE_ROOT);
  // Where the catalogue is per schema (BigQuery: one INFORMATION_SCHEMA per dataset), the schemas
  // the models name, else the target's default one.
  const fallback = [target.settings.dataset, target.settings.schema].find((v): v is string => typeof v === 'string');
  const named = tableRefs.filter((r) => r.includes('.')).map((r) => r.split('.').slice(0, -1).join('.'));
  const datasets = [...new Set([...named, ...(tableRefs.some((r) => !r.includes('.')) || tableRefs.length === 0 ? (fallback ? [fallback] : []) : [])])].sort();
  return renderer.render('catalogue', { datasets: datasets.map((ref) => ({ ref })) });
}

export function defaultSchemas(target: Target): string[] {
  return [target.settings.schema, target.settings.dataset, 'main', 'public'].filter((v): v is string => typeof v === 'string');
}

/** Reads the catalogue through the target's adapter: catalogue reads only (on BigQuery, no table bytes). */
export async function readCatalogue(adapter: Adapter, target: Target, tableRefs: string[], signal?: AbortSignal): Promise<Catalogue> {
  const rows = await adapter.query(catalogueSql(target, tableRefs), { experiment: '-', step: 'catalogue', signal });
  return catalogueFromRows(rows as never, defaultSchemas(target));
}
