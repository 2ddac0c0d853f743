import { z } from 'zod';
import { shardRanges, DEFAULT_TOTAL_SHARDS, type ShardRange } from '../assignment/index.js';
import { durationSeconds } from './duration.js';

/** Spec `assignment:` and `lifecycle:`, kept beside the main spec schema so it stays one import there. */

const DURATION = /^(0|[1-9][0-9]*)(m|h|d|w)$/;

export const AssignmentSchema = z
  .object({
    scheme: z.enum(['md5_shards']).describe("md5_shards: shard = first 8 hex digits of MD5(salt + '-' + unit id) mod shards (Eppo's getShard); variants take contiguous shard ranges by cumulative weight in spec order"),
    salt: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\x00-\x1f\x7f]+$/, { message: 'expected text without control characters' })
      .optional()
      .describe('hash salt; default: the exposure experiment_key'),
    shards: z.number().int().min(1).max(2 ** 32).default(DEFAULT_TOTAL_SHARDS).describe('total shards (Eppo: 10000)'),
  })
  .strict()
  .describe('how units are assigned to variants; when given, the assignment_mismatch check recomputes every exposed unit\'s variant in the warehouse');

export const LifecycleSchema = z
  .object({
    stall_after: z
      .string()
      .regex(DURATION, { message: 'expected a duration such as 36h or 2d' })
      .default('48h')
      .describe('EXPERIMENT_STALLED when no new unit was exposed, or a source has no new event, for longer than this while the experiment should be running'),
  })
  .strict()
  .describe('lifecycle signals for orchestrators; the stall watch is on for scheduled specs and for specs that set this');

export interface ResolvedAssignment {
  scheme: 'md5_shards';
  salt: string;
  shards: number;
  ranges: ShardRange[];
}

export interface ResolvedLifecycle {
  /** Null: the spec is neither scheduled nor sets stall_after, so nobody expects it to keep growing. */
  stallAfterSeconds: number | null;
}

export function resolveAssignment(
  input: z.infer<typeof AssignmentSchema> | undefined,
  experimentKey: string,
  variants: { key: string; weight: number }[],
): ResolvedAssignment | null {
  if (!input) return null;
  return { scheme: input.scheme, salt: input.salt ?? experimentKey, shards: input.shards, ranges: shardRanges(variants, input.shards) };
}

export function resolveLifecycle(input: z.infer<typeof LifecycleSchema> | undefined, schedule: string): ResolvedLifecycle {
  if (input) return { stallAfterSeconds: durationSeconds(input.stall_after) };
  return { stallAfterSeconds: schedule === 'none' ? null : durationSeconds('48h') };
}
