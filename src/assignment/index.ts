// The package's `exptrack/assignment` subpath export: deterministic bucketing with no dependencies.
export { assignmentShard, assignVariant, DEFAULT_TOTAL_SHARDS, shardRanges, type ShardRange, type WeightedVariant } from './bucket.js';
export { md5Hex } from './md5.js';
