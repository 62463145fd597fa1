import { ChangeDetectionStrategy, Component, ViewEncapsulation, inject, signal } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { alertSubject, type AlertDialogData } from './alert-dialog-data';
import { DEFAULT_SILENCE_DURATION, SILENCE_DURATIONS, type SilenceDuration } from './silence-durations';

export type AlertAction = 'acknowledge' | 'silence';

export interface AlertActionDialogData {
  action: AlertAction;
  alert: AlertDialogData;
}

export interface AlertActionDialogResult {
  comment: string;
  /** Only for `silence`. */
  duration: SilenceDuration;
}

const TITLES: Record<AlertAction, { title: string; confirm: string }> = {
  acknowledge: { title: 'Acknowledge alert', confirm: 'Acknowledge' },
  silence: { title: 'Silence alert', confirm: 'Silence' },
};

/**
 * Acknowledge or silence one alert: an optional comment, and for a silence how long.
 * Closes with the choice, or with nothing on cancel (Escape included).
 */
@Component({
  selector: 'vg-alert-action-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  imports: [MatDialogModule],
  template: `
    <form (submit)="submit($event)" [attr.data-testid]="data.action + '-dialog'">
      <h2 mat-dialog-title class="vg-dialog-title">{{ titles.title }}</h2>
      <mat-dialog-content>
        <p class="vg-dialog-subject">{{ subject }}</p>
        <p data-testid="dialog-alert-message">{{ data.alert.message }}</p>
        @if (data.action === 'silence') {
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
        }
        <div class="vg-dialog-field">
          <label for="alert-action-comment">Comment (optional)</label>
          <textarea
            id="alert-action-comment"
            data-testid="dialog-comment"
            maxlength="500"
            [value]="comment()"
            (input)="comment.set($any($event.target).value)"
          ></textarea>
        </div>
      </mat-dialog-content>
      <mat-dialog-actions class="vg-dialog-actions">
        <button type="button" [mat-dialog-close]="undefined" data-testid="dialog-cancel">Cancel</button>
        <button type="submit" class="primary" data-testid="dialog-confirm">{{ titles.confirm }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../../ui/dialog-panel.css',
})
export class AlertActionDialogComponent {
  protected readonly data = inject<AlertActionDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<AlertActionDialogComponent, AlertActionDialogResult>>(MatDialogRef);
  protected readonly titles = TITLES[this.data.action];
  protected readonly subject = alertSubject(this.data.alert);
  protected readonly durations = SILENCE_DURATIONS;
  protected readonly duration = signal<SilenceDuration>(DEFAULT_SILENCE_DURATION);
  protected readonly comment = signal('');

  protected submit(event: Event): void {
    event.preventDefault();
    this.ref.close({ comment: this.comment().trim(), duration: this.duration() });
  }
}
