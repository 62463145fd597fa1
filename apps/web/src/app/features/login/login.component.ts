import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import type { ApiErrorBody } from '@vigil/shared';
import { RETURN_PARAM, safeReturnUrl } from '../../core/return-url';
import { SessionService } from '../../core/session.service';

export const TOO_MANY_ATTEMPTS_MESSAGE = 'Too many attempts; wait a minute.';

/** Words for a failed sign-in: the server's own message when it gave one. */
export function describeLoginError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 429) return TOO_MANY_ATTEMPTS_MESSAGE;
    if (error.status === 0) return 'The server could not be reached.';
    const body = error.error as Partial<ApiErrorBody> | string | null;
    const message = typeof body === 'string' ? body : body?.message;
    if (typeof message === 'string' && message.trim() !== '') return message;
    if (error.status === 401) return 'Wrong username or password.';
    return `Sign-in failed (${error.status}${error.statusText ? ` ${error.statusText}` : ''}).`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The sign-in form. Plain inputs and signals: no forms module in the bundle. */
@Component({
  selector: 'vg-login',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.component.html',
  styleUrl: './login.component.css',
})
export class LoginComponent {
  protected readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.submitting()) return;
    const username = this.username().trim();
    const password = this.password();
    if (!username || !password) {
      this.error.set('Enter your username and password.');
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    try {
      await this.session.login(username, password);
      // Back to the page that sent us here (`?returnUrl=`), if it is one of ours.
      await this.router.navigateByUrl(safeReturnUrl(this.route.snapshot.queryParamMap.get(RETURN_PARAM)));
    } catch (error) {
      this.error.set(describeLoginError(error));
    } finally {
      this.submitting.set(false);
    }
  }
}
