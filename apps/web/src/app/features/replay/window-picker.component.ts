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
  template: `
    <form class="picker" (submit)="$event.preventDefault(); applyRange()" aria-label="Replay window">
      <div class="presets" role="group" aria-label="Presets">
        @for (preset of presets; track preset.id) {
          <button type="button" [attr.data-testid]="'replay-preset-' + preset.id" (click)="applyPreset(preset)">
            {{ preset.label }}
          </button>
        }
      </div>
      @for (field of fields; track field.name) {
        <label>
          {{ field.label }}
          <input
            type="datetime-local"
            step="1"
            [attr.data-testid]="'replay-' + field.name"
            [value]="field.text()"
            (input)="field.text.set(value($event))"
            [attr.aria-invalid]="error() ? 'true' : null"
            aria-describedby="replay-window-error"
          />
        </label>
      }
      <button type="submit" class="primary" data-testid="replay-apply">Replay this window</button>
      <p id="replay-window-error" class="error" role="alert" data-testid="replay-window-error">{{ error() }}</p>
    </form>
  `,
  styles: `
    .picker {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 0.75rem;
    }
    .presets {
      display: flex;
      gap: 0.4rem;
      flex-wrap: wrap;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
      font-size: 0.8rem;
      color: var(--text-muted);
    }
    input {
      font: inherit;
      color: var(--text);
      background: var(--surface-2);
      border: 1px solid var(--border);
      border-radius: 6px;
      padding: 0.3rem 0.5rem;
    }
    input[aria-invalid='true'] {
      border-color: var(--err);
    }
    .error {
      flex-basis: 100%;
      margin: 0;
      min-height: 1.2em;
      color: var(--err);
      font-size: 0.85rem;
    }
  `,
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
