import { ComponentRef } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { alertView } from '../../../testing/alerts';
import { AlertTimelineComponent } from './alert-timeline.component';
import { queryAllIn, queryIn } from '../../../testing/dom';

const RAISED = '2026-01-01T12:00:00.000Z';
const NOW = Date.parse('2026-01-01T12:30:00.000Z');

describe('AlertTimelineComponent', () => {
  let fixture: ComponentFixture<AlertTimelineComponent>;
  let ref: ComponentRef<AlertTimelineComponent>;
  const qa = (selector: string) => queryAllIn(fixture, selector);
  const link = () => queryIn(fixture, '[data-testid=alert-replay-link]') as HTMLAnchorElement | null;

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [AlertTimelineComponent], providers: [provideRouter([])] });
    fixture = TestBed.createComponent(AlertTimelineComponent);
    ref = fixture.componentRef;
  });

  afterEach(() => TestBed.resetTestingModule());

  it('lists raised, acknowledged, silenced and resolved with who, until when and comments', async () => {
    const alert = alertView({
      startedAt: RAISED,
      state: 'resolved',
      resolvedAt: '2026-01-01T12:20:00.000Z',
      timeline: [
        { type: 'raised', at: RAISED, position: 1, value: 95 },
        { type: 'acknowledged', at: '2026-01-01T12:05:00.000Z', position: 2, by: 'olivia', comment: 'on it' },
        { type: 'silenced', at: '2026-01-01T12:06:00.000Z', position: 3, by: 'admin', until: '2026-01-01T16:06:00.000Z', comment: 'known' },
        { type: 'resolved', at: '2026-01-01T12:20:00.000Z', position: 4, value: 12 },
      ],
    });
    ref.setInput('alert', alert);
    ref.setInput('now', NOW);
    await fixture.whenStable();
    const entries = qa('[data-testid=timeline-entry]');
    expect(entries.map((e) => e.getAttribute('data-type'))).toEqual(['raised', 'acknowledged', 'silenced', 'resolved']);
    expect(entries[0]?.textContent).toContain('Raised');
    expect(entries[0]?.textContent).toContain('value 95');
    expect(entries[1]?.textContent).toContain('by olivia');
    expect(entries[1]?.textContent).toContain('on it');
    expect(entries[2]?.textContent).toContain('by admin');
    expect(entries[2]?.querySelectorAll('time')[1]?.getAttribute('datetime')).toBe('2026-01-01T16:06:00.000Z');
    expect(entries[3]?.textContent).toContain('value 12');
    expect(link()).toBeNull();
  });

  it('links to a replay from 10 minutes before the start to 10 minutes after the end', async () => {
    ref.setInput('alert', alertView({ startedAt: RAISED, state: 'resolved', resolvedAt: '2026-01-01T12:20:00.000Z' }));
    ref.setInput('now', NOW);
    ref.setInput('canReplay', true);
    await fixture.whenStable();
    const url = new URL(link()!.href);
    expect(url.pathname).toBe('/replay');
    expect(url.searchParams.get('from')).toBe('2026-01-01T11:50:00.000Z');
    expect(url.searchParams.get('to')).toBe('2026-01-01T12:30:00.000Z');
  });

  it('ends the replay window 10 minutes after now while the alert still fires', async () => {
    ref.setInput('alert', alertView({ startedAt: RAISED }));
    ref.setInput('now', NOW);
    ref.setInput('canReplay', true);
    await fixture.whenStable();
    expect(new URL(link()!.href).searchParams.get('to')).toBe('2026-01-01T12:40:00.000Z');
  });
});
