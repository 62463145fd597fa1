import { chartSummary } from './chart-summary';

describe('chartSummary', () => {
  it('gives each series its latest value and range, over the chart’s range', () => {
    const summary = chartSummary(
      'CPU and memory percent',
      [
        {
          label: 'CPU',
          data: [
            { x: 1, y: 10 },
            { x: 2, y: 42.25 },
            { x: 3, y: 20 },
          ],
        },
        { label: 'memory', data: [{ x: 1, y: 61 }] },
        { label: 'marks', data: [null, { x: 1, y: Number.NaN }] },
        { label: 'alerts', data: [{ x: 2, y: 100 }], showLine: false },
      ],
      'live',
    );
    expect(summary).toBe(
      'CPU and memory percent over the last 5 minutes: CPU latest 20.0, from 10.0 to 42.3; memory latest 61.0, from 61.0 to 61.0.',
    );
  });

  it('says when there is nothing to show', () => {
    expect(chartSummary('Network', [{ label: 'rx', data: [] }], '24h')).toBe('Network over the last 24 hours: no data yet.');
  });
});
