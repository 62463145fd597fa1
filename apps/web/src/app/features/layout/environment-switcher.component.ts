import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { EnvironmentService } from '../../core/environment.service';

/** Value of the "All environments" option (mat-select needs a value; undefined is "none chosen"). */
export const ALL_ENVIRONMENTS = '';

/** The header's environment choice: "All environments" plus only the environments the role may view. */
@Component({
  selector: 'vg-environment-switcher',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatSelectModule],
  templateUrl: './environment-switcher.component.html',
  styleUrl: './environment-switcher.component.css',
})
export class EnvironmentSwitcherComponent {
  protected readonly environments = inject(EnvironmentService);
  protected readonly all = ALL_ENVIRONMENTS;

  protected choose(value: string): void {
    this.environments.select(value === ALL_ENVIRONMENTS ? undefined : value);
  }
}
