import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { ReplayMarker } from '@vigil/shared';
import { ReplayTimelineComponent } from './replay-timeline.component';
import { queryAllIn, queryIn } from '../../../testing/dom';

const FROM = Date.parse('2026-01-01T12:00:00.000Z');
const TO = Date.parse('2026-01-01T12:20:00.000Z');

const markers: ReplayMarker[] = [
  { time: '2026-01-01T12:15:00.000Z', position: 30, kind: 'deploy', label: 'deploy web-server@staging 1.2.0', ref: 'c3' },
  { time: '2026-01-01T12:05:00.000Z', position: 12, kind: 'alert', label: 'alert.raised cpu-high (critical)', ref: 'a1' },
  { time: '2026-01-01T12:10:00.000Z', position: 20, kind: 'command', label: 'restart web-server@staging', ref: 'c2' },
];

describe('ReplayTimelineComponent', () => {
  let fixture: ComponentFixture<ReplayTimelineComponent>;
  let seeks: number[];
  const all = (selector: string) => queryAllIn(fixture, selector);

  beforeEach(async () => {
    fixture = TestBed.createComponent(ReplayTimelineComponent);
    fixture.componentRef.setInput('window', { from: FROM, to: TO });
    fixture.componentRef.setInput('clock', FROM + 60_000);
    fixture.componentRef.setInput('markers', markers);
    seeks = [];
    fixture.componentInstance.seek.subscribe((time) => seeks.push(time));
    await fixture.whenStable();
  });

  afterEach(() => TestBed.resetTestingModule());

  it('draws a tick per marker at its place on the scrubber', () => {
    const ticks = all('.tick');
    expect(ticks.map((tick) => [tick.dataset['kind'], tick.style.left])).toEqual([
      ['alert', '25%'],
      ['command', '50%'],
      ['deploy', '75%'],
    ]);
  });

  it('lists the markers as buttons, in time order, that seek to their time', () => {
    const buttons = all('[data-testid=replay-marker]') as HTMLButtonElement[];
    expect(buttons.map((button) => button.dataset['kind'])).toEqual(['alert', 'command', 'deploy']);
    expect(buttons[0]?.getAttribute('aria-label')).toMatch(/^Seek to \d\d:\d\d:\d\d: alert.raised cpu-high \(critical\)$/);
    buttons[1]?.click();
    expect(seeks).toEqual([FROM + 10 * 60_000]);
  });

  it('seeks where the scrubber is let go', () => {
    const scrubber = queryIn(fixture, '[data-testid=replay-scrubber]') as HTMLInputElement;
    expect(scrubber.getAttribute('aria-label')).toBe('Replay position');
    expect(Number(scrubber.value)).toBe(FROM + 60_000);
    scrubber.value = String(FROM + 8 * 60_000);
    scrubber.dispatchEvent(new Event('change'));
    expect(seeks).toEqual([FROM + 8 * 60_000]);
  });

  it('says when there are no markers, or why they are missing', async () => {
    fixture.componentRef.setInput('markers', []);
    await fixture.whenStable();
    expect(all('[data-testid=replay-markers-empty]')).toHaveLength(1);
    fixture.componentRef.setInput('markersError', '503 Service Unavailable');
    await fixture.whenStable();
    expect(all('[data-testid=replay-markers-error]')[0]?.textContent).toContain('503 Service Unavailable');
  });

  it('says when the window holds more markers than are listed', async () => {
    expect(all('[data-testid=replay-markers-truncated]')).toHaveLength(0);
    fixture.componentRef.setInput('markersTruncated', true);
    await fixture.whenStable();
    expect(all('[data-testid=replay-markers-truncated]')[0]?.textContent).toContain(
      'Only the first 10,000 markers of this window are shown',
    );
    expect(all('[data-testid=replay-marker]').length).toBeGreaterThan(0); // the listed ones stay
  });
});
