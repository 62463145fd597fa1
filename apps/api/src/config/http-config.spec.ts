import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDataDir } from './settings';
import { vigilConfigSchema } from './vigil-config.schema';

describe('http.trustProxy', () => {
  const parse = (trustProxy: unknown) => vigilConfigSchema.safeParse({ http: { trustProxy } });

  it('trusts no proxy by default', () => {
    expect(vigilConfigSchema.parse({}).http.trustProxy).toEqual([]);
  });

  it("takes Express's range names, addresses and CIDRs", () => {
    const result = parse(['loopback', 'uniquelocal', '10.0.0.0/8', '192.168.1.4', 'fd00::/8', '::1']);
    expect(result.success).toBe(true);
  });

  it('refuses anything else, naming the key', () => {
    for (const bad of [['everything'], ['10.0.0.0/33'], ['10.0.0/8'], ['::1/129'], ['1.2.3.4/8/1'], 'loopback', [true]]) {
      const result = parse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].path.slice(0, 2)).toEqual(['http', 'trustProxy']);
    }
  });
});

describe('the data dir', () => {
  it('is created 0700, and an existing wider one is narrowed', () => {
    const parent = mkdtempSync(join(tmpdir(), 'vigil-dir-'));
    try {
      const fresh = join(parent, 'fresh');
      ensureDataDir(fresh);
      expect(statSync(fresh).mode & 0o777).toBe(0o700);
      const wide = join(parent, 'wide');
      ensureDataDir(join(wide, 'x'));
      chmodSync(wide, 0o755);
      ensureDataDir(wide);
      expect(statSync(wide).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
