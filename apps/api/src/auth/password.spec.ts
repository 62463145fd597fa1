import { generatePassword, hashPassword, spendOneHash, verifyPassword } from './password';

describe('password hashes (scrypt)', () => {
  it('stores scrypt$N$r$p$salt$hash with a 16-byte salt and a 64-byte key, and verifies', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const parts = stored.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(64);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
  });

  it('salts every hash: the same password never hashes the same twice', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toEqual(b);
  });

  it('refuses a wrong password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    await expect(verifyPassword('correct horse battery stapl', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('refuses tampered and malformed hashes without throwing', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const parts = stored.split('$');
    const key = Buffer.from(parts[5], 'base64');
    key[0] ^= 1;
    const tamperedKey = [...parts.slice(0, 5), key.toString('base64')].join('$');
    const salt = Buffer.from(parts[4], 'base64');
    salt[3] ^= 0x80;
    const tamperedSalt = [...parts.slice(0, 4), salt.toString('base64'), parts[5]].join('$');
    const cheaper = ['scrypt', '1024', ...parts.slice(2)].join('$');
    for (const bad of [
      tamperedKey,
      tamperedSalt,
      cheaper,
      '',
      'scrypt$',
      'bcrypt$x',
      `${stored}$extra`,
      stored.replace('16384', '16385'),
      stored.replace('16384', '1073741824'),
    ]) {
      await expect(verifyPassword('correct horse battery staple', bad)).resolves.toBe(false);
    }
  });

  it('spends a hash for unknown users and generates long random passwords', async () => {
    await expect(spendOneHash('whatever')).resolves.toBeUndefined();
    const password = generatePassword();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toEqual(password);
  });
});
