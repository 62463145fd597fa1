import { Injector, inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { can, denialReason, type Capability } from '@vigil/shared';
import { loginUrlTree } from './return-url';
import { SessionService } from './session.service';

/** Pages that need a session: waits for the first `restore()`, else goes to /login and back here after. */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionService);
  const router = inject(Router);
  return (await session.ready()) === 'signed-in' ? true : loginUrlTree(router, state.url);
};

/** The login page: someone already signed in goes straight to the dashboard. */
export const signedOutGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  const router = inject(Router);
  return (await session.ready()) === 'signed-in' ? router.parseUrl('/') : true;
};

/**
 * Pages for holders of one capability (decided by the shared `can()`): others go to
 * the dashboard with a snack bar saying why. The snack bar is imported on demand:
 * only a refusal needs it, so it stays out of the initial bundle.
 */
export function capabilityGuard(capability: Capability): CanActivateFn {
  return async (_route, state) => {
    const session = inject(SessionService);
    const router = inject(Router);
    const injector = inject(Injector);
    if ((await session.ready()) !== 'signed-in') return loginUrlTree(router, state.url);
    const user = session.user();
    const action = { kind: 'capability', capability } as const;
    if (can(user, action)) return true;
    const { MatSnackBar } = await import('@angular/material/snack-bar');
    injector.get(MatSnackBar).open(user ? `Not allowed: ${denialReason(user, action)}.` : 'Not signed in.', 'Dismiss', {
      duration: 8_000,
      politeness: 'assertive',
    });
    return router.parseUrl('/');
  };
}
