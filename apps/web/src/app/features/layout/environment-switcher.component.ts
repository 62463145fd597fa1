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
  template: `
    <mat-form-field appearance="outline" subscriptSizing="dynamic" class="field">
      <mat-label>Environment</mat-label>
      <mat-select
        data-testid="environment-select"
        panelClass="vg-environment-panel"
        panelWidth="auto"
        [value]="environments.selected() ?? all"
        (valueChange)="choose($event)"
      >
        <mat-option data-testid="environment-choice" [attr.data-environment]="all" [value]="all">All environments</mat-option>
        @for (environment of environments.viewable(); track environment) {
          <mat-option data-testid="environment-choice" [attr.data-environment]="environment" [value]="environment">
            {{ environment }}
          </mat-option>
        }
      </mat-select>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: inline-block;
    }
    .field {
      width: 12rem;
    }
  `,
})
export class EnvironmentSwitcherComponent {
  protected readonly environments = inject(EnvironmentService);
  protected readonly all = ALL_ENVIRONMENTS;

  protected choose(value: string): void {
    this.environments.select(value === ALL_ENVIRONMENTS ? undefined : value);
  }
}
