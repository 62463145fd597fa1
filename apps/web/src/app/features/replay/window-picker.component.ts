import { ChangeDetectionStrategy, Component, effect, input, output, signal } from '@angular/core';
import {
  WINDOW_PRESETS,
  parseWindow,
  presetWindow,
  toDatetimeLocal,
  type TimeWindow,
  type WindowPreset,
  type WindowResult,
} from './time-window';

/**
 * Picks the window to replay: a preset (last 15 min … 24 h) or a start and an end.
 * Emits only valid windows, clamped to what can be replayed; says what is wrong otherwise.
 */
@Component({
  selector: 'vg-replay-window-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './window-picker.component.html',
  styleUrl: './window-picker.component.css',
})
export class WindowPickerComponent {
  /** What can be replayed here (now, live; the bundle's window in review mode). Read when a choice is made. */
  readonly bounds = input.required<() => TimeWindow>();
  /** The window playing now, shown in the inputs. */
  readonly current = input<TimeWindow | null>(null);
  readonly choose = output<TimeWindow>();

  protected readonly presets = WINDOW_PRESETS;
  protected readonly fromText = signal('');
  protected readonly toText = signal('');
  protected readonly error = signal('');
  protected readonly fields = [
    { name: 'from', label: 'From', text: this.fromText },
    { name: 'to', label: 'To', text: this.toText },
  ] as const;

  constructor() {
    effect(() => {
      const window = this.current();
      if (!window) return;
      this.fromText.set(toDatetimeLocal(window.from));
      this.toText.set(toDatetimeLocal(window.to));
    });
  }

  protected applyPreset(preset: WindowPreset): void {
    this.emit(presetWindow(preset, this.bounds()()));
  }

  protected applyRange(): void {
    this.emit(parseWindow(this.fromText(), this.toText(), this.bounds()()));
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  private emit(result: WindowResult): void {
    if (!result.ok) {
      this.error.set(result.error);
      return;
    }
    this.error.set('');
    this.choose.emit(result.window);
  }
}
