import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NOTIFICATION_KINDS, type NotificationAttempt } from '@vigil/shared';
import { describeHttpError } from '../../core/http-error';
import { NotificationsApiService } from './notifications-api.service';

/** /notifications: every delivery attempt with its outcome, the retries and the escalations, filterable. */
@Component({
  selector: 'vg-notifications-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './notifications-page.component.html',
  styleUrls: ['../../ui/data-table.css', './notifications-page.component.css'],
})
export class NotificationsPageComponent {
  private readonly api = inject(NotificationsApiService);

  protected readonly kinds = NOTIFICATION_KINDS;
  protected readonly attempts = signal<NotificationAttempt[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly kind = signal('');
  protected readonly target = signal('');
  protected readonly alertId = signal('');

  constructor() {
    this.load();
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement).value;
  }

  protected load(event?: Event): void {
    event?.preventDefault();
    this.api.list({ kind: this.kind(), target: this.target().trim(), alertId: this.alertId().trim() }).subscribe({
      next: ({ attempts }) => {
        this.attempts.set(attempts);
        this.error.set(null);
      },
      error: (error: unknown) => {
        this.error.set(describeHttpError(error));
      },
    });
  }
}
