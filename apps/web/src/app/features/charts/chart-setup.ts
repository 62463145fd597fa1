import { InjectionToken } from '@angular/core';
import {
  Chart,
  Decimation,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

/** Only the Chart.js parts the dashboard uses (tree-shaken: no `chart.js/auto`). */
Chart.register(LineController, LineElement, PointElement, LinearScale, Decimation, Filler, Legend, Tooltip);

export type LineConfig = ChartConfiguration<'line', { x: number; y: number }[]>;

/** What the component needs of a chart: its datasets, its options and a redraw. */
export interface ChartHandle {
  data: LineConfig['data'];
  options: NonNullable<LineConfig['options']>;
  update(mode?: 'none'): void;
  destroy(): void;
}

export type ChartFactory = (canvas: HTMLCanvasElement, config: LineConfig) => ChartHandle;

/** A real chart, or (no 2D context, e.g. jsdom) a handle that keeps the data and draws nothing. */
export const createChart: ChartFactory = (canvas, config) => {
  if (!canvas.getContext('2d')) {
    return { data: config.data, options: config.options ?? {}, update: () => undefined, destroy: () => undefined };
  }
  return new Chart(canvas, config);
};

/** How charts get made; tests swap in a fake (jsdom has no canvas). */
export const CHART_FACTORY = new InjectionToken<ChartFactory>('CHART_FACTORY', { factory: () => createChart });
