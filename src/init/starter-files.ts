import { stringify } from 'yaml';
import type { Proposal, ProposedSource } from './propose-models.js';

/** The texts `exptrack init` writes, by project-relative path. Pure: the writing is init-project.ts. */

const y = (v: unknown) => stringify(v, { lineWidth: 0, flowCollectionPadding: true });
const flow = (v: unknown) => stringify(v, { lineWidth: 0, collectionStyle: 'flow' }).trim();

export function configText(name: string, targetName: string, type: string, settings: Record<string, unknown>): string {
  return [
    '# exptrack project configuration (written by `exptrack init`).',
    y({ name, default_target: targetName }).trimEnd(),
    '# as_of: "2026-11-01T00:00:00Z"   # optional: pins the analysis time (else --as-of, else the spec\'s end + window, else now)',
    y({ targets: { [targetName]: { type, ...settings } } }).trimEnd(),
    '',
  ].join('\n');
}

function sourceEntry(s: ProposedSource, unit: string, description: string): Record<string, unknown> {
  return {
    description,
    table: s.table,
    units: { [unit]: s.unitColumn },
    ...(s.timestamp ? { timestamp: s.timestamp } : {}),
    ...(s.loadedAt ? { loaded_at: s.loadedAt } : {}),
    ...(s.experimentKey ? { experiment_key: s.experimentKey } : {}),
    ...(s.variant ? { variant: s.variant } : {}),
    ...(s.columns.length ? { columns: Object.fromEntries(s.columns) } : {}),
  };
}

/** Placeholders when init does not read the warehouse: `exptrack check` names what to fix. */
export const PLACEHOLDER: Proposal = {
  unit: 'user',
  exposure: { name: 'exposures', table: 'exposures', unitColumn: 'user_id', timestamp: 'exposed_at', loadedAt: null, experimentKey: 'experiment_key', variant: 'variant', columns: [], eventNameColumn: null },
  events: [{ name: 'events', table: 'events', unitColumn: 'user_id', timestamp: 'event_at', loadedAt: null, experimentKey: null, variant: null, columns: [['event_name', 'string']], eventNameColumn: 'event_name' }],
  attributes: [],
  skipped: [],
};

export function sourcesText(p: Proposal, introspected: boolean): string {
  const sources: Record<string, unknown> = {};
  if (p.exposure) sources[p.exposure.name] = sourceEntry(p.exposure, p.unit, 'Exposure log: one row each time a unit is shown a variant.');
  for (const e of p.events) sources[e.name] = sourceEntry(e, p.unit, 'Events of units (has a timestamp).');
  for (const a of p.attributes) sources[a.name] = sourceEntry(a, p.unit, 'Attributes of units (no timestamp): usable in audience filters.');
  const head = [
    '# yaml-language-server: $schema=./models.schema.json',
    introspected
      ? '# Proposed by `exptrack init --introspect` from the warehouse catalogue: review the guesses, then run `exptrack check`.'
      : '# Placeholders written by `exptrack init`: point them at your tables, then run `exptrack check`.',
    ...(p.skipped.length ? [`# Left out: ${p.skipped.map((s) => `${s.table} (${s.why})`).join('; ')}.`] : []),
    ...(introspected && !p.exposure ? ['# No exposure table found (a unit id, a variant column and a timestamp): add one under sources.'] : []),
  ];
  return `${head.join('\n')}\n${y({ sources })}`;
}

export function metricsText(p: Proposal): string {
  const metrics: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const e of p.events) {
    metrics[`${e.name}_per_${p.unit}`] = { description: `Rows of ${e.table} per exposed ${p.unit} (a starter metric: add a filter).`, type: 'count', source: e.name };
    if (e.eventNameColumn) notes.push(`#   ${e.name}_converted: { type: proportion, source: ${e.name}, filter: "${e.eventNameColumn} = 'purchase'", window: { duration: 7d } }`);
  }
  return [
    '# yaml-language-server: $schema=./models.schema.json',
    '# One starter metric per event source. A conversion metric looks like this (the event name is yours):',
    ...notes,
    y({ metrics }).trimEnd(),
    '',
  ].join('\n');
}

export function filtersText(p: Proposal): string {
  const a = p.attributes[0];
  const flag = a?.columns.find(([, t]) => t === 'boolean')?.[0];
  return [
    '# yaml-language-server: $schema=./models.schema.json',
    '# Audience filters: a spec lists them under audience.exclude (units dropped) or audience.include (only these units).',
    a
      ? `# filters:\n#   internal_${p.unit}s:\n#     source: ${a.name}        # an attribute table: joined on the unit, no time window\n#     where: "${flag ?? 'is_internal'} = true"`
      : '# filters:\n#   internal_traffic:\n#     source: <a source with the column>\n#     where: "is_internal = true"',
    'filters: {}',
    '',
  ].join('\n');
}

export function starterSpecText(p: Proposal, today: string): string {
  const firstMetric = p.events[0] ? `${p.events[0].name}_per_${p.unit}` : 'TODO_metric';
  const exposure = p.exposure?.name ?? 'exposures';
  return [
    '# yaml-language-server: $schema=./spec.schema.json',
    '# A starter spec written by `exptrack init`. Edit the TODO lines, then `exptrack check` and `exptrack run`.',
    'id: first_experiment',
    'name: First experiment                 # TODO a human title',
    'owner: you@example.com                 # TODO',
    'hypothesis: TODO what should change, and why.',
    `unit: ${p.unit}`,
    `exposure: ${flow({ source: exposure, experiment_key: 'first_experiment' })}   # TODO the key your exposure table logs${p.exposure?.experimentKey ? ` in ${p.exposure.experimentKey}` : ''}`,
    `variants:                              # TODO the values of ${p.exposure?.variant ?? 'the variant column'}; control first`,
    '  - { key: control, weight: 0.5 }',
    '  - { key: treatment, weight: 0.5 }',
    `start: ${today}                      # TODO the first day of exposures`,
    '# end: 2026-12-31                      # a concluded experiment: exposures stop here; as-of defaults to end + the longest metric window',
    '# audience:',
    `#   exclude: [internal_${p.unit}s]          # filters from models/filters.yaml`,
    'metrics:',
    `  primary: ${firstMetric}`,
    '',
  ].join('\n');
}
