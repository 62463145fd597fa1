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

describe('parseExposition: OpenMetrics and the newer text format', () => {
  const OM = [
    '# TYPE rpc_seconds histogram',
    'rpc_seconds_bucket{le="0.1"} 3 # {trace_id="abc"} 0.05 1520879607.789',
    'rpc_seconds_bucket{le="+Inf"} 4',
    'rpc_seconds_count 4 1520879607.789',
    'rpc_seconds_created 1520872607.123',
    '# TYPE "my.dotted metric" gauge',
    '{"my.dotted metric", zone="a"} 7',
    '"other.name"{zone="b"} 8 1520879607789',
    'weird{path="a\\\\b \\"q\\" }{ \\n"} 1',
    '# TYPE jobs counter',
    'jobs_total 5',
    '# EOF',
  ].join('\n');

  it('reads exemplars, float timestamps, quoted UTF-8 names and escaped values without dropping samples', () => {
    const samples = parseExposition(OM);
    expect(samples.find((s) => s.name === 'rpc_seconds_bucket' && s.labels.le === '0.1')).toMatchObject({
      family: 'rpc_seconds',
      type: 'histogram',
      value: 3,
    });
    expect(samples.find((s) => s.name === 'rpc_seconds_count')).toMatchObject({ value: 4 });
    expect(samples.find((s) => s.name === 'rpc_seconds_created')).toMatchObject({ family: 'rpc_seconds' });
    expect(samples.find((s) => s.name === 'my.dotted metric')).toMatchObject({ type: 'gauge', value: 7, labels: { zone: 'a' } });
    expect(samples.find((s) => s.name === 'other.name')).toMatchObject({ value: 8, labels: { zone: 'b' } });
    expect(samples.find((s) => s.name === 'weird')?.labels.path).toBe('a\\b "q" }{ \n');
    expect(samples.find((s) => s.name === 'jobs_total')).toMatchObject({ family: 'jobs', type: 'counter', value: 5 });
  });

  it('escapes label values in series ids, so a quote or brace cannot end the id early', () => {
    expect(seriesName('weird', { path: 'a\\b "q" }{ \n' })).toBe('weird{path="a\\\\b \\"q\\" }{ \\n"}');
    expect(seriesName('my.dotted metric', { zone: 'a' })).toBe('"my.dotted metric"{zone="a"}');
    // Reading an id back gives the same labels: parse `id 1` as an exposition line.
    const id = seriesName('weird', { path: 'x"}y' });
    expect(parseExposition(`${id} 1`)[0].labels).toEqual({ path: 'x"}y' });
  });
});
