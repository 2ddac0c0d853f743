/**
 * Bounds on values that parse but cannot be meant: calendar dates that do not exist (2026-02-30,
 * which JavaScript's Date silently rolls over to 2026-03-02), durations past any experiment's life,
 * and variant weights too small to ever receive a unit.
 */

/** The longest window or lookback accepted: ten years. Longer ones overflow date arithmetic in some warehouses. */
export const MAX_DURATION_SECONDS = 3650 * 86400;
/** The smallest variant weight accepted (0.1% of traffic); README, Spec reference. */
export const MIN_VARIANT_WEIGHT = 0.001;

const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86400, w: 604800 };

export function durationWithinBound(text: string): boolean {
  const m = /^(\d+)([mhdw])$/.exec(text);
  return !m || Number(m[1]) * UNIT_SECONDS[m[2]] <= MAX_DURATION_SECONDS;
}

/** For text already in ISO form: every field within its calendar range (years 1000 to 9999). */
export function isCalendarValid(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?(?:\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))?$/.exec(text);
  if (!m) return true;
  const [year, month, day, hour, minute, second, , offH, offM] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0', m[7], m[8] ?? '0', m[9] ?? '0'].map((v) => Number(v ?? 0));
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offH <= 23 && offM <= 59;
}
