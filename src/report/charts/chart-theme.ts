import type { Config } from 'vega-lite';

/**
 * One font family, named and never measured: vega's text width estimate (textMetrics.canvas(false))
 * sizes labels from the font size alone, so a machine's installed fonts cannot change the SVG bytes.
 */
export const CHART_FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

/** Direction-aware colours: better and worse follow each metric's higher_is_better. */
export const DIRECTION_COLORS = { better: '#1a7f37', worse: '#cf222e', unclear: '#57606a' } as const;
export const THRESHOLD_COLOR = '#9a6700';
/** Variants in spec order; control first. Colour-blind-safe (Okabe–Ito). */
export const VARIANT_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 360, gridColor: '#eaeef2' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', labelLimit: 240 },
  title: { fontSize: 13, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#57606a' },
};
