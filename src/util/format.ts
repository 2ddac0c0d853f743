/** Number formats shared by reports, decision reasons and check messages, so they read the same. */

export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export const signedPct = (x: number): string => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

export const pval = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** Four significant digits; exponent form for very small or very large magnitudes. */
export const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 0.001 || a >= 1e6)) return x.toExponential(3);
  return x.toLocaleString('en-US', { maximumSignificantDigits: 4, minimumSignificantDigits: 1 });
};
