import { canonicalJson, canonicalize } from './canonical-json';

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

/** The first implementation (arrays joined), kept as the reference the fast one must match byte for byte. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : reference(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${reference(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'b', 'Z', '10', '2', '', 'é', '流', 'key "q"', 'back\\slash', 'line\nbreak', '\u{1F600}', '\ud800', '__proto__x'];
const LEAVES: unknown[] = [0, -0, 1.5, -7, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity, true, false, null, undefined];
const STRINGS = ['', 'plain', 'quote " and \\', 'tab\tnew\nline', '\u0000\u001f', 'é流\u{1F600}', '\ud800 lone', '</script>'];

function generate(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const roll = next();
  if (depth <= 0 || roll < 0.35) return next() < 0.5 ? pick(LEAVES) : pick(STRINGS);
  if (roll < 0.45) return pick([() => 1, Symbol('s'), new Date(0)]);
  if (roll < 0.7) return Array.from({ length: Math.floor(next() * 5) }, () => generate(next, depth - 1));
  const record: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) record[pick(KEYS)] = generate(next, depth - 1);
  return record;
}

describe('canonicalJson against the reference implementation', () => {
  it('matches it byte for byte on 5,000 generated values', () => {
    const next = random(15);
    for (let i = 0; i < 5000; i++) {
      const value = generate(next, 4);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });

  it('matches it on the edge cases: top-level oddities, members without JSON text, boxed values', () => {
    const cases: unknown[] = [
      undefined,
      () => 1,
      Symbol('x'),
      -0,
      '',
      {},
      [],
      { only: undefined },
      { f: () => 1, s: Symbol('s'), u: undefined, n: null },
      [undefined, () => 1, Symbol('s')],
      new Date(0),
      new Map([[1, 2]]),
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
      new String('ab'),
      new Number(5),
      { 10: 'x', 9: 'y', b: 'z', a: 'w' },
      // Sorted by UTF-16 code units: a surrogate pair (0xD83D…) before U+FFFF, 'Z' before 'a'.
      { '\uffff': 1, '\u{1F600}': 2, a: 3, Z: 4, é: 5 },
      // More keys than the insertion sort takes, and keys too long to remember.
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 17) % 40}`, i])),
      { ['long'.repeat(40)]: 1, ['long'.repeat(39)]: 2 },
    ];
    for (const value of cases) expect(canonicalJson(value)).toBe(reference(value));
  });

  it('refuses a bigint, as JSON.stringify does', () => {
    expect(() => canonicalJson({ size: 10n })).toThrow(TypeError);
    expect(() => reference({ size: 10n })).toThrow(TypeError);
  });

  it('writes array holes as null (the reference wrote "[1,,3]", which is not JSON)', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    expect(canonicalJson(sparse)).toBe('[1,null,3]');
    expect(JSON.parse(canonicalJson({ list: sparse }))).toEqual({ list: [1, null, 3] });
  });
});

describe('canonicalize', () => {
  /** What it must equal: the text, and JSON.parse of it. */
  const expectLikeParse = (value: unknown): void => {
    const { json, value: copy } = canonicalize(value);
    expect(json).toBe(canonicalJson(value));
    expect(copy).toStrictEqual(JSON.parse(json));
    // Same keys in the same order, all the way down (integer-like keys come first in both).
    expect(JSON.stringify(copy)).toBe(JSON.stringify(JSON.parse(json)));
  };

  it('gives canonicalJson and a copy equal to JSON.parse of it, on 5,000 generated values', () => {
    const next = random(16);
    for (let i = 0; i < 5000; i++) expectLikeParse(generate(next, 4));
  });

  it('does so on the edge cases too', () => {
    const protoMember = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown;
    const cases: unknown[] = [
      undefined,
      null,
      -0,
      [-0, { z: -0 }],
      NaN,
      { f: () => 1, s: Symbol('s'), u: undefined, n: null },
      // eslint-disable-next-line no-sparse-arrays
      [1, , undefined, 3],
      new Date(0),
      new String('ab'),
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
      { 10: 'x', 9: 'y', b: 'z', a: 'w' },
      protoMember,
      { nested: protoMember },
    ];
    for (const value of cases) expectLikeParse(value);
    const { value: copy } = canonicalize(protoMember);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy as object)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shares nothing with the input', () => {
    const input = { list: [{ a: 1 }], inner: { b: [2] } };
    const { value } = canonicalize(input);
    const copy = value as typeof input;
    expect(copy).not.toBe(input);
    expect(copy.list).not.toBe(input.list);
    expect(copy.list[0]).not.toBe(input.list[0]);
    expect(copy.inner.b).not.toBe(input.inner.b);
    input.list[0].a = 99;
    expect(copy.list[0].a).toBe(1);
  });

  it('refuses a bigint, as canonicalJson does', () => {
    expect(() => canonicalize({ size: 10n })).toThrow(TypeError);
  });
});
