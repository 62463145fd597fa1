import { parseExposition, seriesName } from './parse-exposition';

const TEXT = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{method="GET",path="/a \\"quoted\\""} 1027 1395066363000
http_requests_total{method="POST"} 3
# TYPE active_connections gauge
active_connections 12
# TYPE latency_seconds histogram
latency_seconds_bucket{le="0.1"} 5
latency_seconds_bucket{le="+Inf"} 9
latency_seconds_sum 1.5
latency_seconds_count 9
untyped_thing -Inf
garbage line here
`;

describe('parseExposition', () => {
  it('reads types, labels (with escapes), values and histogram parts', () => {
    const samples = parseExposition(TEXT);
    expect(samples.find((s) => s.labels.method === 'GET')).toMatchObject({
      family: 'http_requests_total',
      type: 'counter',
      value: 1027,
      labels: { method: 'GET', path: '/a "quoted"' },
    });
    expect(samples.find((s) => s.name === 'active_connections')).toMatchObject({ type: 'gauge', value: 12 });
    expect(samples.find((s) => s.name === 'latency_seconds_count')).toMatchObject({
      family: 'latency_seconds',
      type: 'histogram',
      value: 9,
    });
    expect(samples.find((s) => s.name === 'untyped_thing')).toMatchObject({ type: 'untyped', value: Number.NEGATIVE_INFINITY });
    expect(samples.some((s) => s.name === 'garbage')).toBe(false);
  });

  it('names a series by its metric and sorted labels', () => {
    expect(seriesName('x', {})).toBe('x');
    expect(seriesName('x', { b: '2', a: '1' })).toBe('x{a="1",b="2"}');
  });
});
