import type { ResolvedExperiment } from '../spec/types.js';

/**
 * Template context of the assignment step: the salt prefix of the hash input (the template appends the
 * unit id as text, giving the string exptrack/assignment hashes) and where each variant's shard range
 * ends. Null when the spec declares no scheme.
 */
export function assignmentContext(exp: ResolvedExperiment) {
  const a = exp.assignment;
  if (!a) return null;
  return { prefix: `${a.salt}-`, shards: a.shards, ranges: a.ranges.map((r) => ({ variant: r.variant, end: r.end })) };
}
