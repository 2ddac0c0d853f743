import { CHECKS } from '../../checks/index.js';
import { resolveAssignment, resolveLifecycle } from './assignment-schemas.js';
import { fieldPath, unknownName, type Diagnostic } from './diagnostics.js';
import { durationSeconds, isoUtc } from './duration.js';
import type { LoadedMetric, Located, Models } from './load-models.js';
import { SpecSchema, type SourceInput, type SpecInput } from './schemas.js';
import type { AnalysisSettings, MetricComponent, MetricRole, ResolvedExperiment, ResolvedMetric, ResolvedSource } from './types.js';
import type { YamlFile } from './yaml-file.js';
import { zodDiagnostics } from './zod-diagnostics.js';
import { factorialDesign } from './factorial-design.js';

const WEIGHT_TOLERANCE = 1e-9;

function locationOf(x: { file: YamlFile; path: (string | number)[] }): string {
  const p = x.file.position(x.path, true);
  return `${x.file.file}:${p.line}:${p.column}`;
}

function resolveSource(src: Located<SourceInput>, unit: string): ResolvedSource {
  const s = src.value;
  return {
    name: src.name,
    table: s.table,
    unitColumn: s.units[unit],
    timestamp: s.timestamp ?? null,
    loadedAt: s.loaded_at ?? null,
    experimentKeyColumn: s.experiment_key ?? null,
    variantColumn: s.variant ?? null,
    ...(s.pair_key ? { pairKey: s.pair_key } : {}),
    columns: s.columns,
    dimensions: s.dimensions,
    location: locationOf(src),
  };
}

/**
 * Validates one spec against the models and returns the resolved experiment, or every problem
 * found in the file. Models must already be valid.
 */
export function resolveSpec(file: YamlFile, models: Models): { experiment?: ResolvedExperiment; diagnostics: Diagnostic[] } {
  if (file.parseErrors.length) return { diagnostics: file.parseErrors };
  const parsed = SpecSchema.safeParse(file.data ?? {});
  if (!parsed.success) {
    const shape = zodDiagnostics(file, parsed.error.issues, file.data);
    return { diagnostics: [...shape, ...referenceDiagnostics(file, file.data, models, new Set(shape.map((d) => d.field)))] };
  }
  const spec = parsed.data;
  // Unknown names are reported once, here; the resolution below skips what is missing.
  const out: Diagnostic[] = referenceDiagnostics(file, file.data, models, new Set());
  const usedModelFiles = new Set<string>();

  const needSource = (name: string, path: (string | number)[], why: string): Located<SourceInput> | undefined => {
    const src = models.sources.get(name);
    if (!src) return undefined;
    usedModelFiles.add(src.file.file);
    if (!(spec.unit in src.value.units)) {
      out.push(file.diagnostic(path, `source '${name}' (${why}) has no id column for unit '${spec.unit}' (it has: ${Object.keys(src.value.units).join(', ')})`));
    }
    return src;
  };

  // Exposure source and unit.
  const exposure = needSource(spec.exposure.source, ['exposure', 'source'], 'exposure');
  if (exposure && (!exposure.value.experiment_key || !exposure.value.variant)) {
    out.push(file.diagnostic(['exposure', 'source'], `source '${exposure.name}' is not an exposure source: it needs experiment_key and variant columns`));
  }
  if (exposure && !exposure.value.timestamp) out.push(file.diagnostic(['exposure', 'source'], `source '${exposure.name}' has no timestamp: an exposure source needs one`));

  // Variants: unique keys, weights summing to 1, a control.
  const seen = new Map<string, number>();
  spec.variants.forEach((v, i) => {
    if (seen.has(v.key)) out.push(file.diagnostic(['variants', i, 'key'], `duplicate variant key '${v.key}' (also variants[${seen.get(v.key)}])`));
    else seen.set(v.key, i);
  });
  const total = spec.variants.reduce((a, v) => a + v.weight, 0);
  if (Math.abs(total - 1) > WEIGHT_TOLERANCE) {
    out.push(file.diagnostic(['variants'], `variant weights sum to ${Number(total.toFixed(9))}; expected 1`));
  }
  const controlKey = spec.control ?? spec.variants[0].key;
  if (spec.control !== undefined && !seen.has(spec.control)) {
    out.push(file.diagnostic(['control'], unknownName('variant', spec.control, [...seen.keys()])));
  }

  const factorial = factorialDesign(spec, controlKey, (path, message) => out.push(file.diagnostic(path, message)));

  // Dates.
  const start = isoUtc(spec.start);
  const end = spec.end === undefined ? null : isoUtc(spec.end);
  if (end !== null && end <= start) out.push(file.diagnostic(['end'], `end ${spec.end} is not after start ${spec.start}`));

  // Audience filters: exclude drops matching units, include keeps only them. A filter's source may
  // be an attribute table (no timestamp): it is then joined on the unit with no time window.
  const exclusions = (['exclude', 'include'] as const).flatMap((mode) =>
    (spec.audience?.[mode] ?? []).flatMap((name, i) => {
      const f = models.filters.get(name);
      if (!f) return [];
      usedModelFiles.add(f.file.file);
      const src = needSource(f.value.source, ['audience', mode, i], `filter '${name}'`);
      return src ? [{ name, mode, source: resolveSource(src, spec.unit), where: f.whereExpr }] : [];
    }),
  );

  // Bot or internal traffic the models mark and the spec does not exclude (the marked_traffic check).
  const markedTraffic = [...models.filters.values()].flatMap((f) => {
    const src = models.sources.get(f.value.source);
    if (!f.value.traffic || spec.audience?.exclude.includes(f.name) || !src || !(spec.unit in src.value.units)) return [];
    usedModelFiles.add(f.file.file);
    usedModelFiles.add(src.file.file);
    return [{ name: f.name, source: resolveSource(src, spec.unit), where: f.whereExpr, mode: 'exclude' as const, traffic: f.value.traffic }];
  });

  // Metrics by role; a metric plays one role.
  const roles: { name: string; role: MetricRole; path: (string | number)[]; harm: number | null; absHarm?: number }[] = [
    { name: spec.metrics.primary, role: 'primary', path: ['metrics', 'primary'], harm: null },
    ...spec.metrics.secondary.map((name, i) => ({ name, role: 'secondary' as const, path: ['metrics', 'secondary', i], harm: null })),
    ...spec.metrics.guardrails.map((g, i) => ({ name: g.metric, role: 'guardrail' as const, path: ['metrics', 'guardrails', i, 'metric'], // With only an absolute tolerance, no relative one applies; with neither, any significant harm breaches.
      harm: g.max_relative_harm ?? (g.max_absolute_harm === undefined ? 0 : null), absHarm: g.max_absolute_harm })),
  ];
  const metrics: ResolvedMetric[] = [];
  const roleOf = new Map<string, string>();
  for (const r of roles) {
    const m = models.metrics.get(r.name);
    if (!m) continue;
    if (roleOf.has(r.name)) {
      out.push(file.diagnostic(r.path, `metric '${r.name}' is already listed as ${roleOf.get(r.name)}`));
      continue;
    }
    roleOf.set(r.name, r.role);
    usedModelFiles.add(m.file.file);
    const component = (c: LoadedMetric): MetricComponent | null => {
      usedModelFiles.add(c.file.file);
      const src = c.value.source === undefined ? undefined : needSource(c.value.source, r.path, `metric '${c.name}'`);
      if (!src || c.value.type === 'ratio') return null;
      if (!src.value.timestamp) {
        out.push(file.diagnostic(r.path, `metric '${c.name}' reads source '${src.name}', which has no timestamp (an attribute table): a metric needs event times`));
        return null;
      }
      const cap = c.value.capping;
      return {
        name: c.name,
        // A quantile metric's per-unit value is a mean metric's (the sum of value in the window).
        kind: c.value.type === 'quantile' ? 'mean' : c.value.type,
        source: resolveSource(src, spec.unit),
        value: c.valueExpr,
        baseline: c.baselineExpr,
        filter: c.filterExpr,
        windowDelaySeconds: durationSeconds(c.value.window?.delay ?? '0h'),
        windowDurationSeconds: c.value.window?.duration === undefined ? null : durationSeconds(c.value.window.duration),
        location: locationOf(c),
        capping: !cap ? null : cap.value !== undefined ? { kind: 'value', value: cap.value } : { kind: 'percentile', percentile: cap.percentile!, ignoreZeros: cap.ignore_zeros },
      };
    };
    const parts = m.value.type === 'ratio' ? [m.value.numerator!, m.value.denominator!].map((n) => models.metrics.get(n)!) : [m];
    const components = parts.map(component);
    if (components.some((c) => c === null)) continue;
    metrics.push({
      name: m.name,
      description: m.value.description ?? '',
      kind: m.value.type,
      role: r.role,
      numerator: components[0]!,
      denominator: components[1] ?? null,
      higherIsBetter: m.value.higher_is_better,
      maxRelativeHarm: r.harm,
      // Proportions: the spec gives percentage points; results and decisions use fractions.
      maxAbsoluteHarm: r.absHarm === undefined ? null : m.value.type === 'proportion' ? r.absHarm / 100 : r.absHarm,
      label: m.value.label ?? m.name,
      ...(m.value.type === 'quantile' ? { quantile: { level: m.value.quantile!, ignoreZeros: m.value.ignore_zeros ?? false, levelOf: m.value.level ?? 'unit' } } : {}),
    });
  }

  // Dimensions come from the exposure source, valued at first exposure.
  spec.dimensions.forEach((d, i) => {
    if (exposure && !exposure.value.dimensions.includes(d)) {
      out.push(file.diagnostic(['dimensions', i], unknownName('dimension', d, exposure.value.dimensions, `of source '${exposure.name}'`)));
    }
  });

  if (out.length || !exposure) return { diagnostics: out };

  // Rank tests need a per-unit value on every unit: mean and count metrics of this spec.
  (spec.analysis.mann_whitney ?? []).forEach((name, i) => {
    const m = metrics.find((x) => x.name === name);
    if (!m) out.push(file.diagnostic(['analysis', 'mann_whitney', i], unknownName('metric of this spec', name, metrics.map((x) => x.name))));
    else if (m.kind !== 'mean' && m.kind !== 'count') out.push(file.diagnostic(['analysis', 'mann_whitney', i], `Mann-Whitney needs a mean or count metric; '${name}' is a ${m.kind} metric`));
  });
  const checks: ResolvedExperiment['checks'] = {};
  for (const c of CHECKS) {
    const given = (spec.checks as Record<string, Record<string, unknown> | undefined>)[c.id] ?? {};
    const { severity, ...settings } = given;
    checks[c.id] = { ...c.settings.parse(settings), severity: (severity as 'error' | 'warn' | 'off' | undefined) ?? c.defaultSeverity };
  }

  return {
    diagnostics: [],
    experiment: {
      id: spec.id,
      name: spec.name,
      owner: spec.owner,
      hypothesis: spec.hypothesis,
      unit: spec.unit,
      exposure: { source: resolveSource(exposure, spec.unit), experimentKey: spec.exposure.experiment_key },
      variants: spec.variants.map((v) => ({ key: v.key, weight: v.weight, isControl: v.key === controlKey })),
      ...(factorial ? { factorial } : {}),
      ...(spec.holdout ? { holdout: { features: [...spec.holdout.features] } } : {}),
      controlKey,
      start,
      end,
      exclusions,
      metrics,
      dimensions: spec.dimensions,
      analysis: analysisSettings(spec.analysis),
      alpha: spec.alpha,
      checks,
      decision: { minRelativeLift: spec.decision.min_relative_lift, whenInconclusive: spec.decision.when_inconclusive },
      assignment: resolveAssignment(spec.assignment, spec.exposure.experiment_key, spec.variants),
      lifecycle: resolveLifecycle(spec.lifecycle, spec.analysis.schedule),
      markedTraffic,
      specFile: file.file,
      specText: file.text,
      modelFiles: [...usedModelFiles].sort(),
      modelTexts: Object.fromEntries(models.files.filter((f) => usedModelFiles.has(f.file)).map((f) => [f.file, f.text])),
    },
  };
}

function analysisSettings(a: SpecInput['analysis']): AnalysisSettings {
  return {
    schedule: a.schedule,
    sequential: a.sequential ?? a.schedule !== 'none',
    sequentialTuning: a.sequential_tuning,
    cupedLookbackSeconds: a.cuped.enabled ? durationSeconds(a.cuped.lookback) : null,
    test: a.test,
    correction: a.correction,
    prior: a.prior ? { mean: a.prior.mean, stddev: a.prior.stddev } : null,
    dimensionValues: a.dimension_values,
    ...(a.mann_whitney ? { mannWhitney: [...a.mann_whitney] } : {}),
    ...(a.bandit ? { bandit: { minShare: a.bandit.min_share } } : {}),
  };
}

/**
 * Unknown source, filter and metric names, checked on the raw data so that a spec failing its shape
 * check still shows them: a typo in a metric name is not hidden by a wrong type elsewhere. Fields
 * in `skip` already have a diagnostic.
 */
function referenceDiagnostics(file: YamlFile, data: unknown, models: Models, skip: Set<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const d = (data ?? {}) as Record<string, unknown>;
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  const check = (path: (string | number)[], value: unknown, kind: string, known: Map<string, unknown>) => {
    if (typeof value !== 'string' || known.has(value) || skip.has(fieldPath(path))) return;
    out.push(file.diagnostic(path, unknownName(kind, value, [...known.keys()])));
  };
  check(['exposure', 'source'], obj(d.exposure).source, 'source', models.sources);
  list(obj(d.audience).exclude).forEach((v, i) => check(['audience', 'exclude', i], v, 'filter', models.filters));
  list(obj(d.audience).include).forEach((v, i) => check(['audience', 'include', i], v, 'filter', models.filters));
  const metrics = obj(d.metrics);
  check(['metrics', 'primary'], metrics.primary, 'metric', models.metrics);
  list(metrics.secondary).forEach((v, i) => check(['metrics', 'secondary', i], v, 'metric', models.metrics));
  list(metrics.guardrails).forEach((g, i) => check(['metrics', 'guardrails', i, 'metric'], obj(g).metric, 'metric', models.metrics));
  return out;
}
