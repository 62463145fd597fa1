import { overallDigest, sequenceDigest, stateDigest } from './state-digest';

describe('state digests', () => {
  it('do not depend on key order, and do depend on every value', () => {
    expect(stateDigest({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(stateDigest({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(stateDigest({ a: 1, b: { c: [1, 2], d: 'x' } })).not.toBe(stateDigest({ a: 1, b: { c: [2, 1], d: 'x' } }));
    expect(stateDigest([])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('combine per-projection digests into one that changes when any of them does', () => {
    const digests = { audit: stateDigest([1]), users: stateDigest([2]) };
    expect(overallDigest(digests)).toBe(overallDigest({ users: digests.users, audit: digests.audit }));
    expect(overallDigest(digests)).not.toBe(overallDigest({ ...digests, users: stateDigest([3]) }));
  });

  it('digest a sequence item by item exactly as the whole array', () => {
    const items = [{ b: 1, a: [2] }, 'x', null, 3];
    function* lazily() {
      yield* items;
    }
    expect(sequenceDigest(lazily())).toBe(stateDigest(items));
    expect(sequenceDigest([])).toBe(stateDigest([]));
  });
});
