import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { ReplayInfoService } from './replay-info.service';

/**
 * Live pages on a review server (`vigil review FILE`: nothing is live, nothing can be
 * run) send the user to /replay instead. Runs after signedInGuard, so asking is safe.
 */
export const liveOnlyGuard: CanActivateFn = async () => {
  const replayInfo = inject(ReplayInfoService);
  const router = inject(Router); // before the await: inject() works only synchronously
  const info = await replayInfo.load();
  return info?.mode === 'review' ? router.parseUrl('/replay') : true;
};
