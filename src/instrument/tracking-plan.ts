import type { ResolvedExperiment } from '../spec/types.js';
import { experimentSources } from './instrument-ddl.js';

const JSON_TYPES = { string: { type: 'string' }, number: { type: 'number' }, boolean: { type: 'boolean' }, timestamp: { type: 'string', format: 'date-time' } } as const;

/**
 * JSON Schema (2020-12) of the tracking events an app sends for this experiment: one envelope
 * (experiment id, unit id, variant, event type, timestamp, properties). An `exposure` event must name
 * the experiment and one of its variants; any other event's properties are the columns its source
 * table has, so a pipeline can load it into the tables `exptrack instrument` prints.
 */
export function trackingEventSchema(exp: ResolvedExperiment): object {
  const sources = experimentSources(exp);
  const defs = Object.fromEntries(
    sources.map(({ source: s }) => [
      s.name,
      {
        description: `Properties of events loaded into ${s.table}.`,
        type: 'object',
        properties: Object.fromEntries(Object.entries(s.columns).map(([name, type]) => [name, { ...JSON_TYPES[type] }])),
      },
    ]),
  );
  const eventSources = sources.filter(({ source: s }) => s.experimentKeyColumn === null);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `exptrack:tracking-events:${exp.id}`,
    title: `Tracking events of experiment ${exp.id}`,
    type: 'object',
    required: ['unit_id', 'event_type', 'timestamp'],
    properties: {
      experiment_id: { type: 'string', description: 'The experiment key; required on exposures.' },
      unit_type: { const: exp.unit, description: 'The unit the experiment randomizes.' },
      unit_id: { type: 'string', minLength: 1, description: `The ${exp.unit} id, the same in every event and exposure.` },
      variant: { type: 'string', description: 'The variant shown; required on exposures.' },
      event_type: { type: 'string', minLength: 1, description: "'exposure' when the unit could first experience the variant; otherwise the event's name." },
      timestamp: { type: 'string', format: 'date-time', description: 'When the event happened (not when it was loaded), with a UTC offset.' },
      properties: { type: 'object' },
    },
    allOf: [
      {
        if: { properties: { event_type: { const: 'exposure' } }, required: ['event_type'] },
        then: {
          required: ['experiment_id', 'variant'],
          properties: {
            experiment_id: { const: exp.exposure.experimentKey },
            variant: { enum: exp.variants.map((v) => v.key) },
            properties: { $ref: `#/$defs/${exp.exposure.source.name}` },
          },
        },
        else: eventSources.length ? { properties: { properties: { anyOf: eventSources.map(({ source: s }) => ({ $ref: `#/$defs/${s.name}` })) } } } : {},
      },
    ],
    $defs: defs,
  };
}

/** The tracking rules this experiment depends on, as a checklist for whoever instruments it. */
export function trackingChecklist(exp: ResolvedExperiment): string[] {
  const x = exp.exposure.source;
  const a = exp.assignment;
  const others = experimentSources(exp).filter(({ source: s }) => s.name !== x.name);
  const rules = [
    a
      ? `Assign deterministically and stably: variant = exptrack/assignment assignVariant('${a.salt}', unitId, weights) (md5_shards, ${a.shards} shards); never a random draw per session or device.`
      : "Assign deterministically and stably per experiment: a hash of the unit id and an experiment salt (for example exptrack/assignment), never a random draw per session or device; declare it in the spec's `assignment:` so the audit can check it.",
    'Log the exposure exactly when the unit could experience the variant (when it is rendered or applied), not at assignment, not at page load before the decision point, and not for units that never reach it.',
    `Every exposure row in ${x.table} carries the experiment key '${exp.exposure.experimentKey}' in ${x.experimentKeyColumn}, the variant key (${exp.variants.map((v) => v.key).join(', ')}) in ${x.variantColumn}, and the ${exp.unit} id in ${x.unitColumn}.`,
    `Use the same ${exp.unit} id in exposures and in every event table${others.length ? ` (${others.map(({ source: s }) => `${s.table}.${s.unitColumn}`).join(', ')})` : ''}.`,
    'Timestamps are event time in UTC (or with an offset), not load time; keep the load time in a separate loaded_at column so the latency check can see delays.',
    'Keep salt and weights fixed while the experiment runs: changing either re-buckets units (ASSIGNMENT_MISMATCH); start a new experiment key instead.',
    'Mark bot and internal traffic (for example an is_employee column) and exclude it with an audience filter in the spec.',
    `Keep exposures and events flowing until the experiment ends (${exp.end ?? 'no end set'}); a stop shows as DATA_STALE or EXPERIMENT_STALLED.`,
  ];
  return rules;
}
