import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text whatever order the keys were built in', () => {
    expect(canonicalJson({ x: 1, y: 'two' })).toBe(canonicalJson({ y: 'two', x: 1 }));
  });

  it('writes non-finite numbers and undefined array items as null, like JSON', () => {
    expect(canonicalJson([Number.NaN, undefined, Infinity])).toBe('[null,null,null]');
  });

  it('round-trips through JSON.parse to the same canonical text', () => {
    const value = { time: '2026-01-01T00:00:00.000Z', n: 1.5, s: 'quote " and \\ and \n', list: [true, null] };
    const text = canonicalJson(value);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });
});
