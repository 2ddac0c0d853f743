import type { Target } from '../config/project-config.js';
import { getWarehouse } from '../warehouse/registry.js';
import type { CompileResult } from './compile-project.js';

export interface QueryEstimate {
  experiment: string;
  file: string;
  bytes: number;
}

export interface BytesEstimate {
  target: { name: string; type: string };
  queries: QueryEstimate[];
  totalBytes: number;
}

/** 1234567890 -> "1.15 GiB"; bytes as BigQuery bills them, in binary units. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${bytes} B` : `${v.toFixed(2)} ${units[u]}`;
}

/**
 * Asks the target for a dry run of every compiled query. Null when the warehouse cannot estimate
 * (its adapter has no estimate()); the only part of `compile` that connects, and only when asked.
 */
export async function estimateCompiled(projectRoot: string, target: Target, result: CompileResult): Promise<BytesEstimate | null> {
  const warehouse = getWarehouse(target.type);
  // No login just to learn that the warehouse has no dry run.
  if (!warehouse.estimates) return null;
  const adapter = await warehouse.createAdapter(target.settings, { projectRoot, targetName: target.name });
  try {
    if (!adapter.estimate) return null;
    const queries: QueryEstimate[] = [];
    for (const c of result.compiled) {
      for (const s of c.steps) {
        const { bytes } = await adapter.estimate(s.sql, { experiment: c.experimentId, step: s.name });
        queries.push({ experiment: c.experimentId, file: s.file, bytes });
      }
    }
    return { target: { name: target.name, type: target.type }, queries, totalBytes: queries.reduce((a, q) => a + q.bytes, 0) };
  } finally {
    await adapter.close();
  }
}
