import { ChangeDetectionStrategy, Component, ViewEncapsulation, inject, signal } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { alertSubject, type AlertDialogData } from './alert-dialog-data';
import { DEFAULT_SILENCE_DURATION, SILENCE_DURATIONS, type SilenceDuration } from './silence-durations';

export interface SilenceDialogResult {
  duration: SilenceDuration;
  comment: string;
}

/** Silence an alert for one of the offered durations, with an optional comment. */
@Component({
  selector: 'vg-silence-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  imports: [MatDialogModule],
  template: `
    <form (submit)="submit($event)" data-testid="silence-dialog">
      <h2 mat-dialog-title class="vg-dialog-title">Silence alert</h2>
      <mat-dialog-content>
        <p class="vg-dialog-subject">{{ subject }}</p>
        <p data-testid="dialog-alert-message">{{ data.message }}</p>
        <div class="vg-dialog-field">
          <fieldset>
            <legend>Silence for</legend>
            <div class="vg-dialog-choices">
              @for (choice of durations; track choice.ms) {
                <label>
                  <input
                    type="radio"
                    name="silence-duration"
                    data-testid="silence-duration"
                    [attr.data-ms]="choice.ms"
                    [checked]="duration() === choice"
                    (change)="duration.set(choice)"
                  />
                  {{ choice.label }}
                </label>
              }
            </div>
          </fieldset>
        </div>
        <div class="vg-dialog-field">
          <label for="silence-comment">Comment (optional)</label>
          <textarea
            id="silence-comment"
            data-testid="silence-comment"
            maxlength="500"
            [value]="comment()"
            (input)="comment.set($any($event.target).value)"
          ></textarea>
        </div>
      </mat-dialog-content>
      <mat-dialog-actions class="vg-dialog-actions">
        <button type="button" [mat-dialog-close]="undefined" data-testid="dialog-cancel">Cancel</button>
        <button type="submit" class="primary" data-testid="silence-confirm">Silence</button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../../ui/dialog-panel.css',
})
export class SilenceDialogComponent {
  protected readonly data = inject<AlertDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SilenceDialogComponent, SilenceDialogResult>>(MatDialogRef);
  protected readonly subject = alertSubject(this.data);
  protected readonly durations = SILENCE_DURATIONS;
  protected readonly duration = signal<SilenceDuration>(DEFAULT_SILENCE_DURATION);
  protected readonly comment = signal('');

  protected submit(event: Event): void {
    event.preventDefault();
    this.ref.close({ duration: this.duration(), comment: this.comment() });
  }
}
