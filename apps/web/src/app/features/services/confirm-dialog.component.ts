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
    <h2 mat-dialog-title class="vg-confirm-title">{{ data.title }}</h2>
    <mat-dialog-content>
      <p data-testid="confirm-message">{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions class="vg-confirm-actions">
      <button type="button" [mat-dialog-close]="false" data-testid="cancel-action">Cancel</button>
      <button type="button" class="primary" [mat-dialog-close]="true" cdkFocusInitial data-testid="confirm-action">
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .vg-dialog-panel .mat-mdc-dialog-surface, .vg-dialog-panel .mdc-dialog__surface {
      background: var(--surface-1, #161a20); color: var(--text, #e3e6eb); padding: 1rem 1.25rem;
      border-radius: 8px; border: 1px solid var(--border, #ccc);
    }
    .vg-dialog-panel .mat-mdc-dialog-title, .vg-dialog-panel .mat-mdc-dialog-content {
      color: var(--text, #e3e6eb); padding: 0;
    }
    .vg-dialog-panel .mat-mdc-dialog-title::before { display: none; }
    .vg-confirm-title { margin: 0 0 0.5rem; font-size: 1.1rem; }
    .vg-confirm-actions { display: flex; gap: 0.5rem; justify-content: flex-end; margin-top: 1rem; }
  `,
})
export class ConfirmDialogComponent {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}
