import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ThemeService } from '../../core/theme.service';

/** Switches between the light and dark theme; says which one a press selects. */
@Component({
  selector: 'vg-theme-toggle',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './theme-toggle.component.html',
  styleUrl: './theme-toggle.component.css',
})
export class ThemeToggleComponent {
  protected readonly theme = inject(ThemeService);
  protected readonly label = computed(() => `Switch to the ${this.theme.theme() === 'dark' ? 'light' : 'dark'} theme`);
}
