const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86400, w: 604800 };

/** "36h" -> 129600. The schema has already checked the form. */
export function durationSeconds(text: string): number {
  const m = /^(\d+)([mhdw])$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]];
}

/** Normalises a date or timestamp to ISO-8601 UTC with milliseconds. Dates mean midnight UTC. */
export function isoUtc(text: string): string {
  return new Date(text.length === 10 ? `${text}T00:00:00Z` : text).toISOString();
}
