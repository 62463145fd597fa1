import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { toDatetimeLocal, type TimeWindow } from './time-window';
import { WindowPickerComponent } from './window-picker.component';
import { queryAllIn, queryIn } from '../../../testing/dom';

const FROM = Date.parse('2026-01-01T12:00:00.000Z');
const NOW = Date.parse('2026-01-02T12:00:00.000Z');

describe('WindowPickerComponent', () => {
  let fixture: ComponentFixture<WindowPickerComponent>;
  let chosen: TimeWindow[];
  const q = (selector: string) => queryIn(fixture, selector)!;
  const inputAt = (selector: string) => q(selector) as HTMLInputElement;
  const buttonAt = (selector: string) => q(selector) as HTMLButtonElement;

  function type(selector: string, value: string): void {
    const input = inputAt(selector);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  beforeEach(async () => {
    fixture = TestBed.createComponent(WindowPickerComponent);
    fixture.componentRef.setInput('bounds', () => ({ from: FROM, to: NOW }));
    chosen = [];
    fixture.componentInstance.choose.subscribe((window) => chosen.push(window));
    await fixture.whenStable();
  });

  afterEach(() => TestBed.resetTestingModule());

  it('offers the four presets as labelled buttons and picks the last N up to now', () => {
    const labels = queryAllIn(fixture, '.presets button').map((b) => b.textContent.trim());
    expect(labels).toEqual(['Last 15 min', 'Last 1 h', 'Last 6 h', 'Last 24 h']);
    buttonAt('[data-testid=replay-preset-1h]').click();
    expect(chosen).toEqual([{ from: NOW - 3_600_000, to: NOW }]);
  });

  it('emits a typed range and shows nothing wrong', async () => {
    type('[data-testid=replay-from]', toDatetimeLocal(FROM + 60_000));
    type('[data-testid=replay-to]', toDatetimeLocal(FROM + 120_000));
    buttonAt('[data-testid=replay-apply]').click();
    await fixture.whenStable();
    expect(chosen).toEqual([{ from: FROM + 60_000, to: FROM + 120_000 }]);
    expect(q('[data-testid=replay-window-error]').textContent.trim()).toBe('');
  });

  it('refuses a start after the end with a clear message on the inputs, and emits nothing', async () => {
    type('[data-testid=replay-from]', toDatetimeLocal(FROM + 120_000));
    type('[data-testid=replay-to]', toDatetimeLocal(FROM + 60_000));
    buttonAt('[data-testid=replay-apply]').click();
    await fixture.whenStable();
    expect(chosen).toEqual([]);
    expect(q('[data-testid=replay-window-error]').textContent.trim()).toBe('The start must be before the end.');
    expect(q('[data-testid=replay-from]').getAttribute('aria-invalid')).toBe('true');
  });

  it('clamps a range to what can be replayed', () => {
    type('[data-testid=replay-from]', toDatetimeLocal(FROM - 3_600_000));
    type('[data-testid=replay-to]', toDatetimeLocal(FROM + 60_000));
    buttonAt('[data-testid=replay-apply]').click();
    expect(chosen).toEqual([{ from: FROM, to: FROM + 60_000 }]);
  });

  it('shows the window that plays in its inputs', async () => {
    fixture.componentRef.setInput('current', { from: FROM, to: FROM + 600_000 });
    await fixture.whenStable();
    // The input normalises ":00" seconds away; what matters is the moment it holds.
    expect(Date.parse(inputAt('[data-testid=replay-from]').value)).toBe(FROM);
    expect(Date.parse(inputAt('[data-testid=replay-to]').value)).toBe(FROM + 600_000);
  });
});
