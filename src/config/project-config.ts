import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Diagnostic, ValidationError, unknownName } from '../spec/diagnostics.js';
import { Timestamp } from '../spec/schemas.js';
import { YamlFile } from '../spec/yaml-file.js';
import { zodDiagnostics } from '../spec/zod-diagnostics.js';
import { getWarehouse, warehouseNames } from '../warehouse/registry.js';
import { splitStateSettings, stateSettingsSchema, toStateSettings, type StateSettings } from '../state/state-config.js';

export const CONFIG_FILE = 'exptrack.yaml';

const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    default_target: z.string().min(1),
    as_of: Timestamp.optional().describe('pins the analysis time; otherwise --as-of or the current time'),
    signing: z
      .object({ key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).describe('environment variable holding the path of an Ed25519 PEM private key') })
      .strict()
      .optional()
      .describe('sign report packages and decision records (see README, Audit and verification)'),
    verify: z
      .object({ trusted_keys: z.array(z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a key fingerprint: sha256: followed by 64 hex digits')).min(1) })
      .strict()
      .optional()
      .describe('keys whose signatures verify accepts; every package and decision must be signed by one (README, Security)'),
    targets: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), z.looseObject({ type: z.string() })),
  })
  .strict();

export interface Target {
  name: string;
  type: string;
  /** Non-secret settings, `${ENV_VAR}` references already replaced. */
  settings: Record<string, unknown>;
  /** `${ENV_VAR}` references whose variable is unset: an error only when this target is used. */
  unsetVariables: Diagnostic[];
  /** write_schema, incremental, late_lookback, concurrency (src/state); absent means nothing is written. */
  state?: StateSettings;
}

/**
 * Replaces `${NAME}` in every string setting with the environment variable's value. Unset variables
 * are collected (with the setting's position) instead of failing, so that a target nobody uses
 * never stops a run; `$${` escapes a literal `${`.
 */
function interpolate(
  value: unknown,
  path: (string | number)[],
  env: NodeJS.ProcessEnv,
  unset: { path: (string | number)[]; variable: string }[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, escape: string, name: string) => {
      if (escape) return whole.slice(1);
      const v = env[name];
      if (v === undefined) {
        unset.push({ path, variable: name });
        return whole;
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, [...path, i], env, unset));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, [...path, k], env, unset)]));
  }
  return value;
}

export interface ProjectConfig {
  root: string;
  name: string;
  asOf: string | null;
  defaultTarget: string;
  targets: Map<string, Target>;
  paths: { specs: string; models: string; reports: string; target: string };
  /** Packages and decisions are signed with the key whose path this variable holds (src/audit/signing.ts). */
  signing: { keyEnv: string } | null;
  /** verify.trusted_keys: only these keys' signatures count (src/audit/signing-policy.ts); empty when not pinned. */
  trustedKeys: string[];
}

/** Reads exptrack.yaml; each target's settings are checked by its warehouse's own schema. */
export function loadProjectConfig(root: string, env: NodeJS.ProcessEnv = process.env): ProjectConfig {
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
    const { type, ...rawSettings } = raw;
    const unset: { path: (string | number)[]; variable: string }[] = [];
    const settings = interpolate(rawSettings, [], env, unset) as Record<string, unknown>;
    if (!warehouseNames().includes(type)) {
      out.push(file.diagnostic(['targets', name, 'type'], unknownName('warehouse', type, warehouseNames())));
      continue;
    }
    const split = splitStateSettings(settings);
    const stateChecked = stateSettingsSchema.safeParse(split.state);
    if (!stateChecked.success) {
      out.push(...zodDiagnostics(file, stateChecked.error.issues.map((i) => ({ ...i, path: ['targets', name, ...i.path] })), file.data));
      continue;
    }
    const checked = getWarehouse(type).configSchema.safeParse(split.warehouse);
    if (!checked.success) {
      out.push(
        ...zodDiagnostics(file, checked.error.issues.map((i) => ({ ...i, path: ['targets', name, ...i.path] })), file.data),
      );
      continue;
    }
    targets.set(name, {
      name,
      type,
      settings: checked.data,
      state: toStateSettings(stateChecked.data),
      unsetVariables: unset.map((u) =>
        file.diagnostic(['targets', name, ...u.path], `environment variable ${u.variable} is not set (target '${name}' reads it)`),
      ),
    });
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
    signing: parsed.data.signing ? { keyEnv: parsed.data.signing.key_env } : null,
    trustedKeys: parsed.data.verify?.trusted_keys ?? [],
    paths: { specs: join(root, 'specs'), models: join(root, 'models'), reports: join(root, 'reports'), target: join(root, 'target') },
  };
}

export function getTarget(config: ProjectConfig, name: string | undefined): Target {
  const wanted = name ?? config.defaultTarget;
  const t = config.targets.get(wanted);
  if (!t) throw new Error(unknownName('target', wanted, [...config.targets.keys()], `in ${CONFIG_FILE}`));
  if (t.unsetVariables.length) throw new ValidationError(t.unsetVariables);
  return t;
}
