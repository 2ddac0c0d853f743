import { join } from 'node:path';
import { readDecisionLines, type DecisionRecord } from '../audit/decisions.js';
import { getTarget, type ProjectConfig } from '../config/project-config.js';
import { getWarehouse } from '../warehouse/registry.js';
import { writeBackLocation } from './warehouse-write.js';
import { writeDecisionsBack, type WriteBackOutcome } from './write-results.js';

/**
 * After `exptrack decide`: every decision record of the experiment into the target's decisions table,
 * when the target (--target, else the default) has a write_schema. All of them, not just the new one:
 * the MERGE on (experiment, sequence) makes that idempotent, and a write that failed before is caught up.
 * Returns undefined when nothing is configured to be written.
 */
export async function syncDecisions(opts: { config: ProjectConfig; targetName?: string; reportsDir: string; experiment: string }): Promise<WriteBackOutcome | undefined> {
  const wanted = opts.config.targets.get(opts.targetName ?? opts.config.defaultTarget);
  if (!opts.targetName && !wanted?.state?.writeSchema) return undefined;
  const target = getTarget(opts.config, opts.targetName);
  const warehouse = getWarehouse(target.type);
  const loc = writeBackLocation(target, warehouse);
  if (!loc) return undefined;
  const lines = readDecisionLines(join(opts.reportsDir, opts.experiment));
  const records = lines.map((line) => ({ record: JSON.parse(line) as DecisionRecord, line }));
  let adapter;
  try {
    adapter = await warehouse.createAdapter(target.settings, { projectRoot: opts.config.root, targetName: target.name, writeSchema: target.state!.writeSchema! });
  } catch (e) {
    return { written: false, table: `${loc.schemaRef}.${loc.decisionsTable}`, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
  try {
    return await writeDecisionsBack({ adapter, warehouse, loc, experiment: opts.experiment, records });
  } finally {
    await adapter.close();
  }
}
