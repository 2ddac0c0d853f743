import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Diagnostic, ValidationError, unknownName } from '../spec/diagnostics.js';
import { Timestamp } from '../spec/schemas.js';
import { YamlFile } from '../spec/yaml-file.js';
import { zodDiagnostics } from '../spec/zod-diagnostics.js';
import { getWarehouse, warehouseNames } from '../warehouse/registry.js';

export const CONFIG_FILE = 'exptrack.yaml';

const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    default_target: z.string().min(1),
    as_of: Timestamp.optional().describe('pins the analysis time; otherwise --as-of or the current time'),
    targets: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), z.looseObject({ type: z.string() })),
  })
  .strict();

export interface Target {
  name: string;
  type: string;
  settings: Record<string, unknown>;
}

export interface ProjectConfig {
  root: string;
  name: string;
  asOf: string | null;
  defaultTarget: string;
  targets: Map<string, Target>;
  paths: { specs: string; models: string; reports: string; target: string };
}

/** Reads exptrack.yaml; each target's settings are checked by its warehouse's own schema. */
export function loadProjectConfig(root: string): ProjectConfig {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) {
    throw new ValidationError([{ file: CONFIG_FILE, line: 1, column: 1, field: '', message: `no ${CONFIG_FILE} in ${root} (run exptrack from the project root or pass --project-dir)` }]);
  }
  const file = YamlFile.read(path, root);
  if (file.parseErrors.length) throw new ValidationError(file.parseErrors);
  const parsed = ConfigSchema.safeParse(file.data ?? {});
  if (!parsed.success) throw new ValidationError(zodDiagnostics(file, parsed.error.issues, file.data));
  const out: Diagnostic[] = [];
  const targets = new Map<string, Target>();
  for (const [name, raw] of Object.entries(parsed.data.targets)) {
    const { type, ...settings } = raw;
    if (!warehouseNames().includes(type)) {
      out.push(file.diagnostic(['targets', name, 'type'], unknownName('warehouse', type, warehouseNames())));
      continue;
    }
    const checked = getWarehouse(type).configSchema.safeParse(settings);
    if (!checked.success) {
      out.push(
        ...zodDiagnostics(file, checked.error.issues.map((i) => ({ ...i, path: ['targets', name, ...i.path] })), file.data),
      );
      continue;
    }
    targets.set(name, { name, type, settings: checked.data });
  }
  if (!parsed.data.targets[parsed.data.default_target]) {
    out.push(file.diagnostic(['default_target'], unknownName('target', parsed.data.default_target, Object.keys(parsed.data.targets))));
  }
  if (out.length) throw new ValidationError(out);
  return {
    root,
    name: parsed.data.name,
    asOf: parsed.data.as_of ?? null,
    defaultTarget: parsed.data.default_target,
    targets,
    paths: { specs: join(root, 'specs'), models: join(root, 'models'), reports: join(root, 'reports'), target: join(root, 'target') },
  };
}

export function getTarget(config: ProjectConfig, name: string | undefined): Target {
  const wanted = name ?? config.defaultTarget;
  const t = config.targets.get(wanted);
  if (!t) throw new Error(unknownName('target', wanted, [...config.targets.keys()], `in ${CONFIG_FILE}`));
  return t;
}
