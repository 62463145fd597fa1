import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import type { RoleSummary, UserSummary } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { describeHttpError } from '../../core/http-error';
import { SessionService } from '../../core/session.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../ui/confirm-dialog.component';
import { generatePassword, newUserProblem, userControls } from './user-controls';
import { UsersApiService, type UserChange } from './users-api.service';

/** A password the page made, shown once until dismissed (the server keeps only its hash). */
interface ShownPassword {
  username: string;
  password: string;
}

/**
 * /admin/users (users.manage): everyone who can sign in, with role, status and last
 * sign-in; create, change role, disable / enable, reset password. Each change goes
 * through /api/users and is an event in the log; destructive ones ask first.
 */
@Component({
  selector: 'vg-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './users-page.component.html',
  styleUrls: ['../../ui/page-form.css', '../../ui/data-table.css', './users-page.component.css'],
})
export class UsersPageComponent {
  private readonly api = inject(UsersApiService);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionService);

  protected readonly users = signal<UserSummary[]>([]);
  protected readonly roles = signal<RoleSummary[]>([]);
  protected readonly loadError = signal<string | null>(null);
  /** Outcome of the last action, announced politely. */
  protected readonly status = signal('');
  protected readonly busy = signal<string | null>(null);
  protected readonly shownPassword = signal<ShownPassword | null>(null);

  protected readonly newUsername = signal('');
  protected readonly newRole = signal('viewer');
  protected readonly newPassword = signal('');
  protected readonly formError = signal<string | null>(null);

  protected readonly rows = computed(() => {
    const me = this.session.user();
    return this.users().map((user) => ({ user, controls: userControls(user, me) }));
  });

  constructor() {
    void this.reload();
  }

  protected async reload(): Promise<void> {
    try {
      const [users, roles] = await Promise.all([firstValueFrom(this.api.list()), firstValueFrom(this.api.roles())]);
      this.users.set(users);
      this.roles.set(roles);
      if (!roles.some((role) => role.name === this.newRole())) this.newRole.set(roles[0]?.name ?? '');
      this.loadError.set(null);
    } catch (error) {
      this.loadError.set(describeHttpError(error));
    }
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy()) return;
    const username = this.newUsername().trim();
    const problem = newUserProblem(username, this.newPassword());
    if (problem) {
      this.formError.set(problem);
      return;
    }
    const chosen = this.newPassword();
    const password = chosen === '' ? generatePassword() : chosen;
    this.formError.set(null);
    this.busy.set('create');
    try {
      await firstValueFrom(this.api.create({ username, role: this.newRole(), password }));
      this.shownPassword.set(chosen === '' ? { username, password } : null);
      this.status.set(`Created ${username} as ${this.newRole()}.`);
      this.newUsername.set('');
      this.newPassword.set('');
      await this.reload();
    } catch (error) {
      this.formError.set(describeHttpError(error));
    } finally {
      this.busy.set(null);
    }
  }

  protected async changeRole(user: UserSummary, role: string): Promise<void> {
    if (role === user.role) return;
    const confirmed = await this.confirm({
      title: `Change ${user.username}’s role?`,
      message: `${user.username} becomes ${role} at once, on every open page.`,
      confirmLabel: `Make ${role}`,
    });
    if (!confirmed) {
      this.users.update((users) => [...users]); // puts the select back
      return;
    }
    await this.apply(user, { role }, `${user.username} is now ${role}.`);
  }

  protected async toggleDisabled(user: UserSummary): Promise<void> {
    const disabling = !user.disabled;
    if (disabling) {
      const confirmed = await this.confirm({
        title: `Disable ${user.username}?`,
        message: `${user.username} is signed out everywhere at once and cannot sign in until enabled again.`,
        confirmLabel: 'Disable',
      });
      if (!confirmed) return;
    }
    await this.apply(user, { disabled: disabling }, `${user.username} is ${disabling ? 'disabled' : 'enabled'}.`);
  }

  protected async resetPassword(user: UserSummary): Promise<void> {
    const confirmed = await this.confirm({
      title: `Reset ${user.username}’s password?`,
      message: `A new password is made and shown once here; ${user.username}’s open sessions end.`,
      confirmLabel: 'Reset password',
    });
    if (!confirmed) return;
    const password = generatePassword();
    if (await this.apply(user, { password }, `${user.username} has a new password.`)) {
      this.shownPassword.set({ username: user.username, password });
    }
  }

  protected dismissPassword(): void {
    this.shownPassword.set(null);
  }

  private async apply(user: UserSummary, change: UserChange, done: string): Promise<boolean> {
    this.busy.set(user.id);
    try {
      await firstValueFrom(this.api.update(user.id, change));
      this.status.set(done);
      await this.reload();
      return true;
    } catch (error) {
      this.status.set(`${user.username}: ${describeHttpError(error)}`);
      await this.reload();
      return false;
    } finally {
      this.busy.set(null);
    }
  }

  private confirm(data: ConfirmDialogData): Promise<boolean> {
    return firstValueFrom(
      this.dialog.open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, { data }).afterClosed(),
    ).then((result) => result === true);
  }
}
