import { filterKey, matchesFilter, parseTypePatterns, typeMatches } from './stream-filter';

describe('stream filters', () => {
  it('matches exact types, prefix globs and the wildcard', () => {
    expect(typeMatches('alert.raised', ['alert.*'])).toBe(true);
    expect(typeMatches('alert-rule.changed', ['alert.*'])).toBe(false);
    expect(typeMatches('command.started', ['command.started'])).toBe(true);
    expect(typeMatches('command.started', ['command.completed'])).toBe(false);
    expect(typeMatches('anything', ['*'])).toBe(true);
    expect(typeMatches('anything', undefined)).toBe(true);
  });

  it('reports invalid patterns', () => {
    expect(parseTypePatterns('command.*, alert.raised').invalid).toEqual([]);
    expect(parseTypePatterns('command.*,DROP TABLE,a.*.b').invalid).toEqual(['DROP TABLE', 'a.*.b']);
  });

  it('passes events without an environment to every environment filter', () => {
    const global = { type: 'user.created', meta: {} };
    const staging = { type: 'command.started', meta: { environment: 'staging' } };
    expect(matchesFilter(global, { environment: 'production' })).toBe(true);
    expect(matchesFilter(staging, { environment: 'production' })).toBe(false);
    expect(matchesFilter(staging, { environment: 'staging', types: ['command.*'] })).toBe(true);
  });

  it('gives equal filters the same key regardless of type order', () => {
    expect(filterKey({ environment: 'a', types: ['x.*', 'y.z'] })).toBe(filterKey({ environment: 'a', types: ['y.z', 'x.*'] }));
    expect(filterKey({ environment: 'a' })).not.toBe(filterKey({ environment: 'b' }));
  });
});
