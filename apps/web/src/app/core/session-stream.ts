import { effect, inject, untracked } from '@angular/core';
import { ReplayInfoService } from './replay-info.service';
import { SessionService } from './session.service';
import { StreamService } from './stream.service';

/** Stream errors in a row after which we ask the server whether the session still exists. */
export const FAILURES_BEFORE_SESSION_CHECK = 2;

/**
 * Ties the stream to the session: connected only while signed in, reset on sign-out
 * or expiry, and never on a review server (`vigil review`: nothing is live there).
 * EventSource cannot see a 401, so repeated connection errors while signed in trigger
 * `restore()`; its 401 (via the interceptor) then ends the session.
 * Call in an injection context (an app initializer).
 */
export function linkStreamToSession(): void {
  const session = inject(SessionService);
  const stream = inject(StreamService);
  const replayInfo = inject(ReplayInfoService);

  effect(() => {
    const status = session.status();
    untracked(() => {
      if (status === 'signed-in') {
        void replayInfo.load().then((info) => {
          if (info?.mode !== 'review' && session.status() === 'signed-in') stream.connect();
        });
      } else if (status === 'signed-out') {
        stream.reset();
        replayInfo.reset();
      }
    });
  });

  effect(() => {
    const failures = stream.failures();
    if (failures < FAILURES_BEFORE_SESSION_CHECK) return;
    untracked(() => {
      if (session.status() === 'signed-in') void session.restore();
    });
  });
}
