import { md5Hex } from './md5.js';

/**
 * Deterministic assignment, the same in an app (this file) and in every warehouse (the
 * `assignment_shard` SQL partial):
 *
 *   shard   = int(first 8 hex digits of MD5(utf8(salt + "-" + unitId)), 16) mod totalShards
 *   variant = the variant whose shard range [start, end) holds the shard; ranges are contiguous, in the
 *             spec's variant order, with end = round(cumulative weight * totalShards) (the last ends at
 *             totalShards)
 *
 * The shard is exactly Eppo's (its SDKs' getShard over hashKey(salt, subjectKey) = `${salt}-${subjectKey}`,
 * 10,000 shards by default), so an Eppo user can audit assignments made by the Eppo SDK by giving the
 * flag's split salt here. This module imports nothing outside its folder: it is the package's
 * `exptrack/assignment` export.
 */

export const DEFAULT_TOTAL_SHARDS = 10_000;

export interface WeightedVariant {
  key: string;
  weight: number;
}

export interface ShardRange {
  variant: string;
  /** Inclusive. */
  start: number;
  /** Exclusive. */
  end: number;
}

function checkShards(totalShards: number): void {
  if (!Number.isSafeInteger(totalShards) || totalShards < 1 || totalShards > 2 ** 32) {
    throw new RangeError(`totalShards must be an integer from 1 to 2^32, got ${totalShards}`);
  }
}

/** The shard of one unit: Eppo's getShard(`${salt}-${unitId}`, totalShards). */
export function assignmentShard(salt: string, unitId: string, totalShards = DEFAULT_TOTAL_SHARDS): number {
  checkShards(totalShards);
  return parseInt(md5Hex(`${salt}-${unitId}`).slice(0, 8), 16) % totalShards;
}

/**
 * The shard range of each variant. Rounding the cumulative weight (not each weight) keeps the ranges
 * contiguous and covering every shard, whatever floating-point error the weights carry.
 */
export function shardRanges(variants: readonly WeightedVariant[], totalShards = DEFAULT_TOTAL_SHARDS): ShardRange[] {
  checkShards(totalShards);
  if (variants.length === 0) throw new RangeError('at least one variant is needed');
  const total = variants.reduce((a, v) => a + v.weight, 0);
  if (!(total > 0) || variants.some((v) => !(v.weight > 0))) throw new RangeError('every variant weight must be greater than 0');
  let cumulative = 0;
  let start = 0;
  return variants.map((v, i) => {
    cumulative += v.weight;
    const end = i === variants.length - 1 ? totalShards : Math.min(totalShards, Math.round((cumulative / total) * totalShards));
    const range = { variant: v.key, start, end };
    start = end;
    return range;
  });
}

/** The variant a unit is assigned to. */
export function assignVariant(salt: string, unitId: string, variants: readonly WeightedVariant[], totalShards = DEFAULT_TOTAL_SHARDS): string {
  const shard = assignmentShard(salt, unitId, totalShards);
  const range = shardRanges(variants, totalShards).find((r) => shard >= r.start && shard < r.end);
  // The ranges cover [0, totalShards) by construction.
  return range!.variant;
}
