import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import type { AccountSession } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { describeHttpError } from '../../core/http-error';
import { SessionService } from '../../core/session.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../ui/confirm-dialog.component';
import { AccountApiService } from './account-api.service';
import { passwordChangeProblem } from './password-change';

export const PASSWORD_CHANGED_MESSAGE = 'Your password was changed; sign in with the new one.';
export const SIGNED_OUT_EVERYWHERE_MESSAGE = 'You were signed out everywhere.';

/** "My account" (every signed-in user): change the own password, see open sessions, sign out everywhere. */
@Component({
  selector: 'vg-account-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './account-page.component.html',
  styleUrls: ['../../ui/page-form.css', './account-page.component.css'],
})
export class AccountPageComponent {
  private readonly api = inject(AccountApiService);
  private readonly dialog = inject(MatDialog);
  protected readonly session = inject(SessionService);

  protected readonly sessions = signal<AccountSession[]>([]);
  protected readonly sessionsError = signal<string | null>(null);
  protected readonly current = signal('');
  protected readonly next = signal('');
  protected readonly repeated = signal('');
  protected readonly formError = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    void this.loadSessions();
  }

  protected async loadSessions(): Promise<void> {
    try {
      this.sessions.set((await firstValueFrom(this.api.sessions())).sessions);
      this.sessionsError.set(null);
    } catch (error) {
      this.sessionsError.set(describeHttpError(error));
    }
  }

  protected async changePassword(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy()) return;
    const problem = passwordChangeProblem(this.current(), this.next(), this.repeated());
    if (problem) {
      this.formError.set(problem);
      return;
    }
    this.formError.set(null);
    this.busy.set(true);
    try {
      await firstValueFrom(this.api.changePassword(this.current(), this.next()));
      await this.session.endedByUser(PASSWORD_CHANGED_MESSAGE);
    } catch (error) {
      this.formError.set(describeHttpError(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async signOutEverywhere(): Promise<void> {
    const data: ConfirmDialogData = {
      title: 'Sign out everywhere?',
      message: `Every open session ends, this one too (${this.sessions().length} listed).`,
      confirmLabel: 'Sign out everywhere',
    };
    const confirmed = await firstValueFrom(
      this.dialog.open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, { data }).afterClosed(),
    );
    if (confirmed !== true) return;
    try {
      await firstValueFrom(this.api.signOutEverywhere());
      await this.session.endedByUser(SIGNED_OUT_EVERYWHERE_MESSAGE);
    } catch (error) {
      this.sessionsError.set(describeHttpError(error));
    }
  }
}
