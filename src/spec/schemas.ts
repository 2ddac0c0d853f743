import { z } from 'zod';
import { CHECKS } from '../../checks/index.js';
import { durationWithinBound, isCalendarValid, MAX_DURATION_SECONDS, MIN_VARIANT_WEIGHT } from './input-bounds.js';
import { AssignmentSchema, LifecycleSchema } from './assignment-schemas.js';

export const Severity = z.enum(['error', 'warn', 'off']);

/**
 * Shapes of the YAML inputs. Cross-references (does this metric exist?) are checked later in
 * resolve.ts, where every name is known; these schemas check each file on its own.
 */

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const nameMsg = 'a name of lowercase letters, digits and underscores, starting with a letter (at most 63 characters)';
export const Name = z.string().regex(NAME, { message: `expected ${nameMsg}` });

// Column and table names are quoted on output, but a conservative character set keeps specs
// portable across warehouses and keeps SQL out of names.
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const ColumnName = z.string().regex(COLUMN, { message: 'expected a column name of letters, digits and underscores' });
const TABLE = /^[A-Za-z_][A-Za-z0-9_$-]*(\.[A-Za-z_][A-Za-z0-9_$-]*){0,2}$/;
export const TableName = z
  .string()
  .regex(TABLE, { message: 'expected a table name such as events, schema.events or project.dataset.events' });

const DURATION = /^(0|[1-9][0-9]*)(m|h|d|w)$/;
export const Duration = z
  .string()
  .regex(DURATION, { message: 'expected a non-negative duration such as 30m, 36h, 7d or 2w' })
  .refine(durationWithinBound, { message: `longer than ${MAX_DURATION_SECONDS / 86400}d (ten years)` });

const ISO_TS = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
export const Timestamp = z
  .string()
  .regex(ISO_TS, { message: 'expected an ISO-8601 date or timestamp such as 2026-10-04 or 2026-10-04T00:00:00Z' })
  // Only for well-formed text: a malformed one already has its message, and needs just one.
  .refine((s) => !ISO_TS.test(s) || (isCalendarValid(s) && !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s))), { message: 'not a real date (check the day of the month and the time)' });

export const ColumnType = z.enum(['string', 'number', 'boolean', 'timestamp']);

export const SourceSchema = z
  .object({
    description: z.string().optional(),
    table: TableName,
    units: z.record(Name, ColumnName).refine((u) => Object.keys(u).length > 0, { message: 'expected at least one unit' })
      .describe('unit type -> id column, e.g. { user: user_id }'),
    timestamp: ColumnName.optional().describe('event time column; every scan is bounded on it. Absent: an attribute table (one row per unit), usable only in audience filters'),
    loaded_at: ColumnName.optional().describe('load time column, for the data latency check'),
    experiment_key: ColumnName.optional().describe('for exposure sources: column holding the experiment key'),
    variant: ColumnName.optional().describe('for exposure sources: column holding the variant key'),
    pair_key: ColumnName.optional().describe(
      'matched pairs: column holding the id of the input a row was produced from (a request replayed to a shadow variant); paired metrics over this source pair each variant\'s rows with control\'s rows of the same id',
    ),
    columns: z.record(ColumnName, ColumnType).default({}).describe('other columns usable in expressions'),
    dimensions: z.array(ColumnName).default([]).describe('columns results can be broken down by'),
  })
  .strict();

export const WindowSchema = z
  .object({
    delay: Duration.default('0h').describe('time after first exposure before events count'),
    duration: Duration.optional().describe('how long events count after the delay; open-ended when absent'),
  })
  .strict();

export const CappingSchema = z
  .object({
    percentile: z.number().gt(0).lt(1).optional().describe('cap each unit at this quantile of all analysed units (pooled over arms), computed in the warehouse'),
    value: z.number().gt(0).optional().describe('cap each unit at this fixed value'),
    ignore_zeros: z.boolean().default(false).describe('percentile only: compute the quantile over units with a non-zero value'),
  })
  .strict()
  .describe('winsorization of per-unit values: give percentile or value');

export const MetricSchema = z
  .object({
    description: z.string().optional(),
    type: z.enum(['proportion', 'mean', 'count', 'ratio', 'paired', 'quantile']).describe(
      'proportion: share of units with a matching event; mean: per-unit sum of value; count: matching events per unit; ' +
        'ratio: sum of the numerator metric over sum of the denominator metric (delta method); ' +
        'paired: per-unit difference value - baseline, for units that carry both outcomes; ' +
        'quantile: a quantile (e.g. p90) of the per-unit sum of value, from exact order statistics per arm',
    ),
    quantile: z.number().gt(0).lt(1).optional().describe('quantile only: the level, e.g. 0.5 (median), 0.9 (p90) or 0.99 (p99)'),
    level: z.enum(['unit', 'event']).optional().describe('quantile only: unit (the default) takes the quantile of per-unit values; event takes it over every matching event, with a variance clustered by unit'),
    ignore_zeros: z.boolean().optional().describe('quantile only: leave out units whose value is 0 or who have no matching events (e.g. p90 latency of users who loaded a page)'),
    source: Name.optional().describe('the table the metric reads; not used by ratio metrics'),
    value: z.string().min(1).optional().describe('expression over the source columns; required for mean and paired'),
    baseline: z.string().min(1).optional().describe('paired only: expression for the control outcome of the same unit'),
    numerator: Name.optional().describe('ratio only: metric summed in the numerator'),
    denominator: Name.optional().describe('ratio only: metric summed in the denominator'),
    filter: z.string().min(1).optional().describe('boolean expression over the source columns'),
    window: WindowSchema.optional(),
    capping: CappingSchema.optional(),
    higher_is_better: z.boolean().default(true),
    label: z.string().min(1).max(80).optional().describe('plain-words name the report shows (e.g. "Resolved within 24 h"); the id stays in the detail tables'),
  })
  .strict();

export const FilterSchema = z
  .object({
    description: z.string().optional(),
    source: Name,
    where: z.string().min(1).describe('boolean expression; units with any matching row in the window are excluded'),
    traffic: z.enum(['bot', 'internal']).optional().describe('marks the matching units as bot or internal traffic: the marked_traffic check flags them in specs that do not exclude this filter'),
  })
  .strict();

export const ModelsFileSchema = z
  .object({
    $schema: z.string().optional(),
    sources: z.record(Name, SourceSchema).optional(),
    metrics: z.record(Name, MetricSchema).optional(),
    filters: z.record(Name, FilterSchema).optional(),
  })
  .strict();

export const VariantSchema = z
  .object({
    // Integer keys (GrowthBook's variation_id 0, 1) are read as the text the variant column casts to.
    key: z.preprocess(
      (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : v),
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { message: 'expected a variant key of letters, digits, _ . or -' }),
    ),
    weight: z.number().gte(MIN_VARIANT_WEIGHT, { message: `expected a weight of at least ${MIN_VARIANT_WEIGHT} (0.1% of traffic)` }).lte(1),
    description: z.string().optional(),
    factors: z
      .record(Name, z.string().min(1).max(100))
      .optional()
      .describe("factorial designs: this variant's level of each factor; the control's levels are the reference"),
  })
  .strict();

export const GuardrailSchema = z
  .object({
    metric: Name,
    max_relative_harm: z.number().min(0).optional().describe('tolerated relative change in the harmful direction (0.02 = 2%); default 0 unless max_absolute_harm is given'),
    max_absolute_harm: z
      .number()
      .min(0)
      .optional()
      .describe("tolerated absolute change in the harmful direction, in the metric's units; percentage points for proportions (1 = 1 pp)"),
  })
  .strict();

export const AnalysisSchema = z
  .object({
    schedule: z.enum(['none', 'daily', 'hourly']).default('none').describe('how often the spec is run; a scheduled spec is read at every run, so sequential testing is on by default'),
    sequential: z.boolean().optional().describe('always-valid intervals and p-values; default: on when schedule is not none'),
    sequential_tuning: z.number().positive().default(5000).describe('tuning parameter of the always-valid interval (expected units at the first look)'),
    cuped: z
      .object({
        enabled: z.boolean().default(true),
        lookback: Duration.default('14d').describe('pre-exposure window before each unit\'s first exposure'),
      })
      .strict()
      .default({ enabled: true, lookback: '14d' })
      .describe('regression adjustment with the same metric measured before exposure'),
    test: z.enum(['two_sided', 'one_sided']).default('two_sided').describe('one_sided tests in each metric\'s better direction'),
    correction: z
      .enum(['none', 'holm', 'benjamini_hochberg'])
      .default('holm')
      .describe('multiple-testing correction across the non-primary metrics, and across dimension values'),
    prior: z
      .object({ mean: z.number().default(0), stddev: z.number().positive() })
      .strict()
      .optional()
      .describe('Bayesian readout: Gaussian prior on the relative lift; a flat prior when absent'),
    dimension_values: z.number().int().positive().max(1000).default(10).describe('per dimension, the values with most units; the rest are grouped as (other)'),
    mann_whitney: z
      .array(Name)
      .min(1)
      .optional()
      .describe('metrics (mean or count) to test also with Mann-Whitney U, ranks computed in the warehouse'),
    bandit: z
      .object({ min_share: z.number().min(0).max(0.5).default(0.1).describe('smallest advised share of traffic per arm') })
      .strict()
      .optional()
      .describe('report Thompson-sampling traffic weights for the next period as advice (traffic is never changed)'),
  })
  .strict();

export const SpecSchema = z
  .object({
    $schema: z.string().optional(),
    id: Name,
    name: z.string().min(1),
    owner: z.string().min(1),
    hypothesis: z.string().min(1),
    unit: Name,
    exposure: z
      .object({ source: Name, experiment_key: z.string().min(1).max(200).regex(/^[^\x00-\x1f\x7f]+$/, { message: 'expected text without control characters' }) })
      .strict(),
    variants: z.array(VariantSchema).min(2, { message: 'expected at least two variants' }),
    control: z.string().optional().describe('control variant key; the first variant when absent'),
    start: Timestamp,
    end: Timestamp.optional(),
    audience: z
      .object({
        exclude: z.array(Name).default([]).describe('filters whose matching units are removed'),
        include: z.array(Name).default([]).describe('filters a unit must match to be analysed'),
      })
      .strict()
      .optional(),
    metrics: z
      .object({
        primary: Name,
        secondary: z.array(Name).default([]),
        guardrails: z.array(GuardrailSchema).default([]),
      })
      .strict(),
    dimensions: z.array(ColumnName).default([]),
    holdout: z
      .object({
        features: z.array(z.string().min(1).max(200)).min(1).describe('the features the control (held-back) arm does not get'),
      })
      .strict()
      .optional()
      .describe('a long-running holdout: the control arm is a small share held back from these features; the lift is their combined effect'),
    assignment: AssignmentSchema.optional(),
    lifecycle: LifecycleSchema.optional(),
    analysis: AnalysisSchema.default(AnalysisSchema.parse({})),
    alpha: z.number().gt(0).lt(0.5).default(0.05),
    checks: z
      .object(
        Object.fromEntries(
          CHECKS.map((c) => [c.id, c.settings.extend({ severity: Severity.optional() }).strict().optional().describe(c.title)]),
        ),
      )
      .strict()
      .default({})
      .describe('per check: its settings and an optional severity override (error, warn or off)'),
    decision: z
      .object({
        min_relative_lift: z.number().min(0).default(0).describe('ship only when the relative lift is at least this'),
        when_inconclusive: z.enum(['iterate', 'stop']).default('iterate'),
      })
      .strict()
      .default({ min_relative_lift: 0, when_inconclusive: 'iterate' }),
  })
  .strict();

export type SourceInput = z.infer<typeof SourceSchema>;
export type MetricInput = z.infer<typeof MetricSchema>;
export type FilterInput = z.infer<typeof FilterSchema>;
export type ModelsFileInput = z.infer<typeof ModelsFileSchema>;
export type SpecInput = z.infer<typeof SpecSchema>;
