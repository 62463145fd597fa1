import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AuditEntry, AuditPage, SessionUser } from '@vigil/shared';
import { signInAs } from '../../../testing/session';
import { ADMIN } from '../../../testing/users';
import { csrfInterceptor } from '../../core/csrf.interceptor';
import { EnvironmentService } from '../../core/environment.service';
import { AuditPageComponent } from './audit-page.component';
import { queryAllIn, queryIn } from '../../../testing/dom';

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    commandId: `cmd-${n}`,
    acceptedPosition: n,
    acceptedAt: '2026-01-01T12:00:00.000Z',
    actor: 'admin',
    actorId: 'u-admin',
    ip: '127.0.0.1',
    type: 'ping',
    target: 'vigil',
    environment: 'staging',
    params: {},
    outcome: 'completed',
    reason: null,
    exitCode: 0,
    durationMs: 12,
    finishedAt: '2026-01-01T12:00:01.000Z',
    lastPosition: n + 2,
    ...overrides,
  };
}

const VERIFIED = { ok: true, checked: 42, lastPosition: 42 };

describe('AuditPageComponent', () => {
  let fixture: ComponentFixture<AuditPageComponent>;
  let http: HttpTestingController;

  const q = (selector: string) => queryIn(fixture, selector);
  const qa = (selector: string) => queryAllIn(fixture, selector);
  const listRequest = (): TestRequest => http.expectOne((request) => request.url === '/api/audit');
  const params = (request: TestRequest) =>
    Object.fromEntries(request.request.params.keys().map((key) => [key, request.request.params.get(key)]));

  /** Signs in, runs `before` (to set up services the page reads at start), renders the page. */
  async function render(user: SessionUser = ADMIN, before?: () => void): Promise<void> {
    TestBed.configureTestingModule({
      imports: [AuditPageComponent],
      providers: [provideHttpClient(withInterceptors([csrfInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await signInAs(http, user);
    before?.();
    fixture = TestBed.createComponent(AuditPageComponent);
    await fixture.whenStable();
  }

  async function answer(request: TestRequest, page: AuditPage): Promise<void> {
    request.flush(page);
    await fixture.whenStable();
  }

  function type(testId: string, value: string): void {
    const input = q(`[data-testid=${testId}]`) as HTMLInputElement | HTMLSelectElement;
    input.value = value;
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input'));
  }

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  it('loads the first page and the chain verification on opening', async () => {
    await render();
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    const first = listRequest();
    expect(params(first)).toEqual({ limit: '25' });
    await answer(first, { items: [entry(2), entry(1, { outcome: 'denied', reason: 'role "viewer" may not run ping' })], nextCursor: null });
    expect(qa('[data-testid=audit-row]').map((r) => r.getAttribute('data-command-id'))).toEqual(['cmd-2', 'cmd-1']);
    expect(qa('[data-testid=audit-row]')[1]?.textContent).toContain('role "viewer" may not run ping');
    expect(q('[data-testid=chain-verification]')?.textContent.trim()).toBe('Chain verified: 42 events, up to position 42.');
    expect(q('[data-testid=chain-verification]')?.getAttribute('data-ok')).toBe('true');
  });

  it('pages forward with nextCursor and back with the cursor it came from', async () => {
    await render();
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    await answer(listRequest(), { items: [entry(3)], nextCursor: 'c-2' });
    expect((q('[data-testid=audit-previous]') as HTMLButtonElement).disabled).toBe(true);

    (q('[data-testid=audit-next]') as HTMLButtonElement).click();
    const second = listRequest();
    expect(params(second)).toEqual({ limit: '25', cursor: 'c-2' });
    await answer(second, { items: [entry(2)], nextCursor: 'c-1' });
    expect(q('[data-testid=audit-page-number]')?.textContent.trim()).toBe('Page 2');

    (q('[data-testid=audit-next]') as HTMLButtonElement).click();
    const third = listRequest();
    expect(params(third)).toEqual({ limit: '25', cursor: 'c-1' });
    await answer(third, { items: [entry(1)], nextCursor: null });
    expect((q('[data-testid=audit-next]') as HTMLButtonElement).disabled).toBe(true);

    (q('[data-testid=audit-previous]') as HTMLButtonElement).click();
    const back = listRequest();
    expect(params(back)).toEqual({ limit: '25', cursor: 'c-2' });
    await answer(back, { items: [entry(2)], nextCursor: 'c-1' });
    expect(q('[data-testid=audit-page-number]')?.textContent.trim()).toBe('Page 2');
  });

  it('applies filters from the first page, and exports with the applied filters', async () => {
    await render();
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    await answer(listRequest(), { items: [entry(3)], nextCursor: 'c-2' });
    (q('[data-testid=audit-next]') as HTMLButtonElement).click();
    await answer(listRequest(), { items: [entry(2)], nextCursor: null });

    type('audit-filter-actor', 'olivia');
    type('audit-filter-outcome', 'failed');
    // Typed but not applied: the export still has no filter.
    await fixture.whenStable();
    expect(q('[data-testid=audit-export-csv]')?.getAttribute('href')).toBe('/api/audit/export?format=csv');
    (q('[data-testid=audit-apply]') as HTMLButtonElement).click();
    const filtered = listRequest();
    expect(params(filtered)).toEqual({ actor: 'olivia', outcome: 'failed', limit: '25' });
    await answer(filtered, { items: [], nextCursor: null });
    expect(q('[data-testid=audit-page-number]')?.textContent.trim()).toBe('Page 1');
    expect(q('[data-testid=audit-empty]')).not.toBeNull();
    expect(q('[data-testid=audit-export-csv]')?.getAttribute('href')).toBe('/api/audit/export?actor=olivia&outcome=failed&format=csv');
    expect(q('[data-testid=audit-export-ndjson]')?.getAttribute('href')).toBe(
      '/api/audit/export?actor=olivia&outcome=failed&format=ndjson',
    );
  });

  it('changes the page size from the first page', async () => {
    await render();
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    await answer(listRequest(), { items: [entry(1)], nextCursor: null });
    type('audit-page-size', '100');
    expect(params(listRequest())).toEqual({ limit: '100' });
  });

  it('does not send filters the API would refuse, and says why', async () => {
    await render();
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    await answer(listRequest(), { items: [], nextCursor: null });
    type('audit-filter-from', '2026-01-02T00:00');
    type('audit-filter-to', '2026-01-01T00:00');
    (q('[data-testid=audit-apply]') as HTMLButtonElement).click();
    await fixture.whenStable();
    http.expectNone((request) => request.url === '/api/audit');
    expect(q('[data-testid=audit-filter-problem]')?.textContent).toBe('"To" must not be before "From".');
  });

  it('shows a broken chain with its first bad position, and verifies again on demand', async () => {
    await render();
    await answer(listRequest(), { items: [], nextCursor: null });
    http.expectOne('/api/audit/verify').flush({ ok: false, checked: 7, lastPosition: 9, firstBadPosition: 7, reason: 'hash mismatch' });
    await fixture.whenStable();
    expect(q('[data-testid=chain-verification]')?.textContent.trim()).toBe('Chain broken at position 7: hash mismatch (7 events checked).');
    expect(q('[data-testid=chain-verification]')?.getAttribute('data-ok')).toBe('false');
    (q('[data-testid=verify-again]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(q('[data-testid=chain-verification]')?.textContent.trim()).toBe('Verifying…');
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    await fixture.whenStable();
    expect(q('[data-testid=chain-verification]')?.getAttribute('data-ok')).toBe('true');
  });

  it('shows an API error on the page and in a snack bar', async () => {
    await render();
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    listRequest().flush(
      { statusCode: 403, error: 'Forbidden', message: 'role "viewer" lacks audit.read' },
      { status: 403, statusText: 'Forbidden' },
    );
    await fixture.whenStable();
    expect(q('[data-testid=audit-error]')?.textContent).toBe('403 Forbidden: role "viewer" lacks audit.read');
    expect(document.body.querySelector('.mat-mdc-snack-bar-container')?.textContent).toContain('Could not load the audit trail');
  });

  it('links each command to a replay 10 minutes either side', async () => {
    await render();
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    await answer(listRequest(), { items: [entry(1)], nextCursor: null });
    const url = new URL((q('[data-testid=audit-replay-link]') as HTMLAnchorElement).href);
    expect(url.pathname).toBe('/replay');
    expect(url.searchParams.get('from')).toBe('2026-01-01T11:50:00.000Z');
    expect(url.searchParams.get('to')).toBe('2026-01-01T12:10:01.000Z');
  });

  it("starts on the header's environment and follows the switcher", async () => {
    await render(ADMIN, () => {
      const environments = TestBed.inject(EnvironmentService);
      environments.setKnown(['production', 'staging']);
      environments.select('staging');
    });
    http.expectOne('/api/audit/verify').flush(VERIFIED);
    expect(params(listRequest())).toEqual({ environment: 'staging', limit: '25' });
    TestBed.inject(EnvironmentService).select('production');
    await fixture.whenStable();
    expect(params(listRequest())).toEqual({ environment: 'production', limit: '25' });
    expect((q('[data-testid=audit-filter-environment]') as HTMLInputElement).value).toBe('production');
  });
});
