import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ThemeService } from '../../core/theme.service';

/** Switches between the light and dark theme; says which one a press selects. */
@Component({
  selector: 'vg-theme-toggle',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      type="button"
      class="toggle"
      data-testid="theme-toggle"
      [attr.data-theme]="theme.theme()"
      [attr.aria-label]="label()"
      [attr.title]="label()"
      (click)="theme.toggle()"
    >
      <span aria-hidden="true">{{ theme.theme() === 'dark' ? '☀' : '☾' }}</span>
      <span class="text">{{ theme.theme() === 'dark' ? 'Light' : 'Dark' }}</span>
    </button>
  `,
  styles: `
    .toggle {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
    }
  `,
})
export class ThemeToggleComponent {
  protected readonly theme = inject(ThemeService);
  protected readonly label = computed(() => `Switch to the ${this.theme.theme() === 'dark' ? 'light' : 'dark'} theme`);
}
