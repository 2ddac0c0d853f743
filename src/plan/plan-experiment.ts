import { createSqlRenderer } from '../compile/sql-templates.js';
import type { ProjectConfig, Target } from '../config/project-config.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../package-info.js';
import { loadExperiments } from '../spec/load-project.js';
import { getWarehouse } from '../warehouse/registry.js';
import { analysePlan, compilePlan, type PlanOptions, type PlanResult } from './plan-query.js';

/** Validates the spec, runs the plan query on the target and sizes the experiment. */
export async function planExperiment(config: ProjectConfig, target: Target, selector: string, opts: PlanOptions): Promise<PlanResult> {
  // Validation only: a plan is made before launch, when the experiment's steps cannot compile yet (as-of before start).
  const [exp] = loadExperiments({ root: config.root, specsDir: config.paths.specs, modelsDir: config.paths.models, selectors: [selector] });
  const warehouse = getWarehouse(target.type);
  const query = compilePlan(exp, opts, warehouse.dialect, createSqlRenderer(TEMPLATES_DIR, warehouse.name, warehouse.dialect, PACKAGE_ROOT));
  const adapter = await warehouse.createAdapter(target.settings, { projectRoot: config.root, targetName: target.name });
  try {
    return analysePlan(exp, query, await adapter.query(query.sql, { experiment: exp.id, step: 'plan' }), opts);
  } finally {
    await adapter.close();
  }
}
