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
  templateUrl: './alert-action-dialog.component.html',
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
