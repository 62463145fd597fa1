import { axisColors } from './axis-colors';

describe('axisColors', () => {
  it('derives label and grid colours from the text colour', () => {
    expect(axisColors('rgb(227, 230, 235)')).toEqual({ text: 'rgba(227, 230, 235, 0.8)', grid: 'rgba(227, 230, 235, 0.15)' });
    expect(axisColors('rgba(10, 20, 30, 1)')).toEqual({ text: 'rgba(10, 20, 30, 0.8)', grid: 'rgba(10, 20, 30, 0.15)' });
  });

  it('falls back to Chart.js greys for a colour it cannot read', () => {
    expect(axisColors('')).toEqual({ text: '#666', grid: 'rgba(0, 0, 0, 0.1)' });
  });
});
