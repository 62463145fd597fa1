import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { RETURN_PARAM, safeReturnUrl } from '../../core/return-url';
import { SessionService } from '../../core/session.service';
import { describeLoginError } from './login-error';

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
