// Plan's query for every demo spec whose primary metric plan supports, compiled for a warehouse without a connection.
import { createSqlRenderer } from '../../src/compile/sql-templates.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/package-info.js';
import { compilePlan, PlanError, type PlanOptions } from '../../src/plan/plan-query.js';
import { loadExperiments } from '../../src/spec/load-project.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { REPO_ROOT } from '../helpers/demo-project.js';

export const GOLDEN_PLAN_OPTIONS: PlanOptions = { asOf: '2026-10-04T00:00:00Z', lookbackDays: 21, days: 14, mde: null, lift: null, power: 0.8 };

export function demoPlanQueries(warehouse: string): { id: string; sql: string }[] {
  const config = loadProjectConfig(REPO_ROOT, {});
  const w = getWarehouse(warehouse);
  const renderer = createSqlRenderer(TEMPLATES_DIR, w.name, w.dialect, PACKAGE_ROOT);
  return loadExperiments({ root: REPO_ROOT, specsDir: config.paths.specs, modelsDir: config.paths.models }).flatMap((exp) => {
    try {
      return [{ id: exp.id, sql: compilePlan(exp, GOLDEN_PLAN_OPTIONS, w.dialect, renderer).sql }];
    } catch (e) {
      if (e instanceof PlanError) return [];
      throw e;
    }
  });
}

