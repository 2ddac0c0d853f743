import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

// Exported by vega (from vega-scenegraph) but missing from its type declarations.
const scenegraph = vega as unknown as { textMetrics: { canvas(use: boolean): void }; resetSVGDefIds(): void };
// No canvas package, no system fonts: text widths come from vega's estimate, the same on every machine.
scenegraph.textMetrics.canvas(false);

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Vega-Lite spec -> SVG text, byte-identical for the same spec: clip and gradient ids restart at 1
 * for every chart, and the spec holds no clock or random input. A <title> and <desc> make the chart
 * readable to screen readers (and are what a browser shows on hover).
 */
export async function renderChartSvg(spec: TopLevelSpec, title: string, description: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    scenegraph.resetSVGDefIds();
    const svg = await view.toSVG();
    const open = svg.indexOf('>') + 1;
    const root = svg.slice(0, open - 1).replace(/^<svg /, `<svg role="img" aria-label="${xml(title)}" `);
    return `${root}><title>${xml(title)}</title><desc>${xml(description)}</desc>${svg.slice(open)}\n`;
  } finally {
    view.finalize();
  }
}
