import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { SessionService } from './session.service';

/** Pages that need a session: waits for the first `restore()`, else goes to /login. */
export const signedInGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  const router = inject(Router);
  return (await session.ready()) === 'signed-in' ? true : router.parseUrl('/login');
};

/** The login page: someone already signed in goes straight to the dashboard. */
export const signedOutGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  const router = inject(Router);
  return (await session.ready()) === 'signed-in' ? router.parseUrl('/') : true;
};
