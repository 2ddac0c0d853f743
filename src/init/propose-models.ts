import type { Catalogue, CatalogueColumn, CatalogueTable } from '../catalogue/catalogue.js';

/**
 * Guesses, from table and column names and types alone, which table logs exposures, which tables
 * are events and which describe units without a time (attribute tables). Every guess is written
 * into models the user reads and edits; `exptrack check` then confirms them against the warehouse.
 */

export interface ProposedSource {
  name: string;
  table: string;
  unitColumn: string;
  timestamp: string | null;
  loadedAt: string | null;
  experimentKey: string | null;
  variant: string | null;
  /** Declared columns: name -> model type. */
  columns: [string, 'string' | 'number' | 'boolean' | 'timestamp'][];
  /** A string column that names the event (event_name, event, type), for a starter filter. */
  eventNameColumn: string | null;
}

export interface Proposal {
  unit: string;
  exposure: ProposedSource | null;
  events: ProposedSource[];
  attributes: ProposedSource[];
  /** Tables left out, and why. */
  skipped: { table: string; why: string }[];
}

const UNIT_NAMES = ['user_id', 'unit_id', 'anonymous_id', 'visitor_id', 'customer_id', 'account_id', 'device_id', 'member_id', 'client_id', 'person_id'];
const VARIANT = /^(variant|variant_id|variant_key|variant_name|variation|variation_id|variation_key|variation_name|arm|treatment|bucket|group_name|cohort)$/i;
const EXPERIMENT = /^(experiment|experiment_id|experiment_key|experiment_name|exp_id|test_id|test_name|flag_key|feature_key)$/i;
// received_at is Segment's server receive time: a load time, not when the event happened.
const LOADED = /(load|ingest|insert|synced|etl|updated|received)/i;
/** Event-time names, most telling first. */
const EVENT_TIME = ['timestamp', 'event_timestamp', 'event_time', 'event_at', 'event_ts', 'occurred_at', 'exposed_at', 'exposure_time', 'viewed_at', 'assigned_at', 'created_at', 'ts', 'time', 'sent_at'];
const EVENT_NAME = /^(event|event_name|event_type|event_key|name|action|type)$/i;

const timestamps = (t: CatalogueTable) => t.columns.filter((c) => c.kind === 'timestamp');

function eventTime(t: CatalogueTable): CatalogueColumn | undefined {
  const ts = timestamps(t).filter((c) => !LOADED.test(c.name));
  for (const n of EVENT_TIME) {
    const hit = ts.find((c) => c.name.toLowerCase() === n);
    if (hit) return hit;
  }
  return ts[0];
}

function unitColumnOf(t: CatalogueTable): CatalogueColumn | undefined {
  const lower = new Map(t.columns.map((c) => [c.name.toLowerCase(), c]));
  for (const n of UNIT_NAMES) if (lower.has(n)) return lower.get(n);
  return t.columns.find((c) => /_id$/i.test(c.name) && !EXPERIMENT.test(c.name) && !VARIANT.test(c.name) && !/^(event|session|message|order|row)_id$/i.test(c.name));
}

/** A name for the model: the table's own, made a valid exptrack name. */
export function modelName(table: string): string {
  const n = table.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z]+/, '');
  return (n || 'source').slice(0, 63);
}

function declared(t: CatalogueTable, skip: Set<string>): ProposedSource['columns'] {
  return t.columns
    .filter((c) => !skip.has(c.name) && (c.kind === 'string' || c.kind === 'number' || c.kind === 'boolean' || c.kind === 'timestamp'))
    .map((c) => [c.name, c.kind as 'string' | 'number' | 'boolean' | 'timestamp']);
}

function source(t: CatalogueTable, ref: string, unit: CatalogueColumn, extra: { experimentKey?: CatalogueColumn; variant?: CatalogueColumn } = {}): ProposedSource {
  const ts = eventTime(t) ?? null;
  const loaded = timestamps(t).find((c) => LOADED.test(c.name) && c !== ts) ?? null;
  const keys = new Set([unit.name, ts?.name, loaded?.name, extra.experimentKey?.name, extra.variant?.name].filter((v): v is string => !!v));
  const evName = t.columns.find((c) => c.kind === 'string' && EVENT_NAME.test(c.name));
  return {
    name: modelName(t.name),
    table: ref,
    unitColumn: unit.name,
    timestamp: ts?.name ?? null,
    loadedAt: loaded?.name ?? null,
    experimentKey: extra.experimentKey?.name ?? null,
    variant: extra.variant?.name ?? null,
    columns: declared(t, keys),
    eventNameColumn: evName?.name ?? null,
  };
}

/** Snowflake reports unquoted names in upper case; models read better, and match as well, in lower case. */
function lowerShouted(catalogue: Catalogue): Catalogue {
  const low = (n: string) => (n === n.toUpperCase() && /[A-Z]/.test(n) ? n.toLowerCase() : n);
  const tables = catalogue.tables.map((t) => ({ schema: low(t.schema), name: low(t.name), columns: t.columns.map((c) => ({ ...c, name: low(c.name) })) }));
  return new (catalogue.constructor as new (t: CatalogueTable[], d: string[]) => Catalogue)(tables, []);
}

export function proposeModels(input: Catalogue, opts: { unit?: string } = {}): Proposal {
  const catalogue = lowerShouted(input);
  const ref = (t: CatalogueTable) => `${t.schema}.${t.name}`;
  const skipped: Proposal['skipped'] = [];
  // Exposure: a unit id, a variant and a time; an experiment key column wins a tie.
  const candidates = catalogue.tables
    .map((t) => ({ t, unit: unitColumnOf(t), variant: t.columns.find((c) => VARIANT.test(c.name)), key: t.columns.find((c) => EXPERIMENT.test(c.name)), ts: eventTime(t) }))
    .filter((c) => c.unit && c.variant && c.ts)
    .sort((a, b) => Number(!!b.key) - Number(!!a.key) || Number(/expos|assign|view/i.test(b.t.name)) - Number(/expos|assign|view/i.test(a.t.name)));
  const chosen = candidates[0];
  const unitCol = chosen?.unit?.name ?? UNIT_NAMES[0];
  const unit = opts.unit ?? (modelName(unitCol.replace(/_id$/i, '')) || 'user');
  const exposure = chosen ? source(chosen.t, ref(chosen.t), chosen.unit!, { experimentKey: chosen.key, variant: chosen.variant }) : null;
  const events: ProposedSource[] = [];
  const attributes: ProposedSource[] = [];
  for (const t of catalogue.tables) {
    if (chosen && t === chosen.t) continue;
    // The unit's id under its own name, or `id` in the table named after the unit (users.id).
    const own = t.columns.find((c) => c.name.toLowerCase() === unitCol.toLowerCase());
    const byName = new RegExp(`^${unit}s?$`, 'i').test(t.name) ? t.columns.find((c) => c.name.toLowerCase() === 'id') : undefined;
    const u = own ?? byName;
    if (!u) {
      skipped.push({ table: ref(t), why: `no '${unitCol}' column` });
      continue;
    }
    if (eventTime(t)) events.push(source(t, ref(t), u));
    else attributes.push(source(t, ref(t), u));
  }
  // Model names must be unique even when two schemas hold tables of the same name.
  const used = new Set<string>();
  for (const s of [exposure, ...events, ...attributes].filter((x): x is ProposedSource => x !== null)) {
    let n = s.name;
    for (let i = 2; used.has(n); i++) n = `${s.name}_${i}`;
    s.name = n;
    used.add(n);
  }
  return { unit, exposure, events, attributes, skipped };
}
