import { EMPTY_AUDIT_FILTERS, auditExportHref, auditFiltersProblem, auditListParams, localToIso } from './audit-query';

describe('audit queries', () => {
  it('sends only the filters that are set, trimmed, with times in UTC', () => {
    const filters = { ...EMPTY_AUDIT_FILTERS, actor: ' olivia ', type: 'restart', outcome: 'failed' as const, from: '2026-01-01T10:00' };
    expect(auditListParams(filters, 25, null)).toEqual({
      actor: 'olivia',
      type: 'restart',
      outcome: 'failed',
      from: new Date('2026-01-01T10:00').toISOString(),
      limit: '25',
    });
  });

  it('adds the cursor for later pages', () => {
    expect(auditListParams(EMPTY_AUDIT_FILTERS, 50, 'YTE6MTI')).toEqual({ limit: '50', cursor: 'YTE6MTI' });
  });

  it('builds export links with the same filters and the format', () => {
    const href = auditExportHref({ ...EMPTY_AUDIT_FILTERS, environment: 'staging', target: 'web server' }, 'csv');
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/api/audit/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({ target: 'web server', environment: 'staging', format: 'csv' });
    expect(auditExportHref(EMPTY_AUDIT_FILTERS, 'ndjson')).toBe('/api/audit/export?format=ndjson');
  });

  it('refuses a "to" before "from" and times that are not times', () => {
    expect(auditFiltersProblem({ ...EMPTY_AUDIT_FILTERS, from: '2026-01-02T00:00', to: '2026-01-01T00:00' })).toBe(
      '"To" must not be before "From".',
    );
    expect(auditFiltersProblem({ ...EMPTY_AUDIT_FILTERS, from: 'yesterday' })).toBe('"From" is not a date and time.');
    expect(auditFiltersProblem({ ...EMPTY_AUDIT_FILTERS, from: '2026-01-01T00:00', to: '2026-01-02T00:00' })).toBeNull();
    expect(localToIso('  ')).toBeUndefined();
  });
});
