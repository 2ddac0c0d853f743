/** ISO-8601 UTC instants, compared and shifted as text and milliseconds. */

export const minIso = (a: string, b: string): string => (a < b ? a : b);

export const addSeconds = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();
