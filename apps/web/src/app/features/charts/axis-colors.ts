/**
 * Axis colours for a canvas chart from the resolved CSS text colour (`rgb(r, g, b)`):
 * the text itself for labels, the same colour faint for the grid. Anything else
 * (not resolved yet) falls back to Chart.js's greys.
 */
export function axisColors(cssColor: string): { text: string; grid: string } {
  const match = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(cssColor.trim());
  if (!match) return { text: '#666', grid: 'rgba(0, 0, 0, 0.1)' };
  const [, r, g, b] = match;
  return { text: `rgba(${r}, ${g}, ${b}, 0.8)`, grid: `rgba(${r}, ${g}, ${b}, 0.15)` };
}
