import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { readCatalogue } from '../catalogue/read-catalogue.js';
import type { Target } from '../config/project-config.js';
import { jsonSchemas, SCHEMA_FILES } from '../schema/json-schemas.js';
import { writeFileAtomically } from '../util/atomic-write.js';
import { getWarehouse } from '../warehouse/registry.js';
import { proposeModels, type Proposal } from './propose-models.js';
import { configText, filtersText, metricsText, PLACEHOLDER, sourcesText, starterSpecText } from './starter-files.js';

export class InitError extends Error {}

export interface InitOptions {
  dir: string;
  type: string;
  /** Target settings as given (flags), before defaults. */
  settings: Record<string, unknown>;
  introspect: boolean;
  targetName?: string;
  /** The starter spec's start date (YYYY-MM-DD). */
  today: string;
  /** The directory relative paths in settings were given from (the shell's cwd). */
  cwd?: string;
}

/**
 * Writes a new project: exptrack.yaml, models/ and specs/ with their JSON Schemas, and a starter
 * spec. With `introspect`, reads the warehouse's catalogue (never its data, never writing) and
 * proposes sources and metrics from it. Refuses a folder that already holds a project.
 */
export async function initProject(o: InitOptions): Promise<{ root: string; files: string[]; proposal: Proposal }> {
  const root = resolve(o.dir);
  const clash = ['exptrack.yaml', ...['models', 'specs'].flatMap((d) => (existsSync(join(root, d)) ? readdirSync(join(root, d)).filter((n) => /\.ya?ml$/.test(n)).map((n) => `${d}/${n}`) : []))].filter((f) => existsSync(join(root, f)));
  if (clash.length) throw new InitError(`${root} already holds a project (${clash.join(', ')}); init writes only into a folder without one`);
  const warehouse = getWarehouse(o.type);
  const settings = { ...o.settings };
  // A database path is given from the shell's folder but read from the project root.
  if (typeof settings.path === 'string' && !isAbsolute(settings.path)) settings.path = relative(root, resolve(o.cwd ?? process.cwd(), settings.path)) || '.';
  const parsed = warehouse.configSchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${String(i.path[0] ?? '').replaceAll('_', '-')}: ${i.message}`);
    throw new InitError(`${o.type} target settings: ${problems.join('; ')}`);
  }
  const targetName = o.targetName ?? o.type;
  let proposal = PLACEHOLDER;
  if (o.introspect) {
    const target: Target = { name: targetName, type: o.type, settings: parsed.data as Record<string, unknown>, unsetVariables: [] };
    const adapter = await warehouse.createAdapter(target.settings, { projectRoot: root, targetName });
    try {
      proposal = proposeModels(await readCatalogue(adapter, target, []));
    } finally {
      await adapter.close();
    }
  }
  const schemas = jsonSchemas();
  const files: [string, string][] = [
    ['exptrack.yaml', configText(basename(root).toLowerCase().replace(/[^a-z0-9_-]/g, '-') || 'experiments', targetName, o.type, settings)],
    [`models/${SCHEMA_FILES.models}`, schemas.models],
    ['models/sources.yaml', sourcesText(proposal, o.introspect)],
    ['models/metrics.yaml', metricsText(proposal)],
    ['models/filters.yaml', filtersText(proposal)],
    [`specs/${SCHEMA_FILES.spec}`, schemas.spec],
    ['specs/first_experiment.yaml', starterSpecText(proposal, o.today)],
  ];
  mkdirSync(join(root, 'models'), { recursive: true });
  mkdirSync(join(root, 'specs'), { recursive: true });
  // exptrack.yaml last: a project exists only once everything it points at does.
  for (const [f, text] of [...files.slice(1), files[0]]) writeFileAtomically(join(root, f), text);
  return { root, files: files.map(([f]) => f), proposal };
}
