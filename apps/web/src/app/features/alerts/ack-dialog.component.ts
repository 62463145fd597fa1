import { ChangeDetectionStrategy, Component, ViewEncapsulation, inject, signal } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { alertSubject, type AlertDialogData } from './alert-dialog-data';

export interface AckDialogResult {
  comment: string;
}

/** Acknowledge an alert with an optional comment; closes with the comment, or nothing on cancel. */
@Component({
  selector: 'vg-ack-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  imports: [MatDialogModule],
  template: `
    <form (submit)="submit($event)" data-testid="ack-dialog">
      <h2 mat-dialog-title class="vg-dialog-title">Acknowledge alert</h2>
      <mat-dialog-content>
        <p class="vg-dialog-subject">{{ subject }}</p>
        <p data-testid="dialog-alert-message">{{ data.message }}</p>
        <div class="vg-dialog-field">
          <label for="ack-comment">Comment (optional)</label>
          <textarea
            id="ack-comment"
            data-testid="ack-comment"
            maxlength="1000"
            cdkFocusInitial
            [value]="comment()"
            (input)="comment.set($any($event.target).value)"
          ></textarea>
        </div>
      </mat-dialog-content>
      <mat-dialog-actions class="vg-dialog-actions">
        <button type="button" [mat-dialog-close]="undefined" data-testid="dialog-cancel">Cancel</button>
        <button type="submit" class="primary" data-testid="ack-confirm">Acknowledge</button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../../ui/dialog-panel.css',
})
export class AckDialogComponent {
  protected readonly data = inject<AlertDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<AckDialogComponent, AckDialogResult>>(MatDialogRef);
  protected readonly subject = alertSubject(this.data);
  protected readonly comment = signal('');

  protected submit(event: Event): void {
    event.preventDefault();
    this.ref.close({ comment: this.comment().trim() });
  }
}
