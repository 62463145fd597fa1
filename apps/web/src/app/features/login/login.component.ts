import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import type { AuthMethods } from '@vigil/shared';
import { RETURN_PARAM, safeReturnUrl } from '../../core/return-url';
import { SessionService } from '../../core/session.service';
import { AuthMethodsService } from './auth-methods.service';
import { describeLoginError } from './login-error';
import { ssoMessage } from './sso-messages';

/** The query parameter an SSO refusal comes back with (SSO_ERROR_PARAM in @vigil/shared). */
const SSO_ERROR_PARAM = 'sso_error';

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
  protected readonly methods = signal<AuthMethods | null>(null);
  /** "Sign in with <label>": a full-page navigation to the server, which sends the browser to the provider. */
  protected readonly ssoHref = computed(() => {
    const oidc = this.methods()?.oidc;
    if (!oidc) return null;
    const returnUrl = safeReturnUrl(this.route.snapshot.queryParamMap.get(RETURN_PARAM));
    return returnUrl === '/' ? oidc.loginUrl : `${oidc.loginUrl}?returnUrl=${encodeURIComponent(returnUrl)}`;
  });

  constructor() {
    this.error.set(ssoMessage(this.route.snapshot.queryParamMap.get(SSO_ERROR_PARAM)));
    void inject(AuthMethodsService)
      .load()
      .then((methods) => {
        this.methods.set(methods);
      });
  }

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
