import { TestBed } from '@angular/core/testing';
import { ReplayControlsComponent } from './replay-controls.component';

describe('ReplayControlsComponent', () => {
  async function render(speed: number): Promise<HTMLSelectElement> {
    const fixture = TestBed.createComponent(ReplayControlsComponent);
    fixture.componentRef.setInput('status', 'paused');
    fixture.componentRef.setInput('speed', speed);
    await fixture.whenStable();
    return (fixture.nativeElement as HTMLElement).querySelector<HTMLSelectElement>('[data-testid=replay-speed-select]')!;
  }

  it('offers the preset speeds and selects the current one', async () => {
    const select = await render(10);
    expect(Array.from(select.options, (option) => option.value)).toEqual(['1', '2', '5', '10', '25', '50', '100']);
    expect(select.value).toBe('10');
  });

  it('shows a speed from the address that is not a preset (instead of a blank choice)', async () => {
    const select = await render(20);
    expect(Array.from(select.options, (option) => option.value)).toEqual(['1', '2', '5', '10', '20', '25', '50', '100']);
    expect(select.value).toBe('20');
  });
});
