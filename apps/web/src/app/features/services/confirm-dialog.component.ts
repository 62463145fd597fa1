import { ChangeDetectionStrategy, Component, ViewEncapsulation, inject } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

export interface ConfirmDialogData {
  title: string;
  message: string;
  confirmLabel: string;
}

/** "Are you sure?" for destructive actions; closes with true on confirm. */
@Component({
  selector: 'vg-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  imports: [MatDialogModule],
  template: `
    <h2 mat-dialog-title class="vg-dialog-title">{{ data.title }}</h2>
    <mat-dialog-content>
      <p data-testid="confirm-message">{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions class="vg-dialog-actions">
      <button type="button" [mat-dialog-close]="false" data-testid="cancel-action">Cancel</button>
      <button type="button" class="primary" [mat-dialog-close]="true" cdkFocusInitial data-testid="confirm-action">
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
  styleUrl: '../../ui/dialog-panel.css',
})
export class ConfirmDialogComponent {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}
