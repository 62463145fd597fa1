import { HttpErrorResponse } from '@angular/common/http';
import { reasonPhrase, serverMessage } from '../../core/http-error';

export const TOO_MANY_ATTEMPTS_MESSAGE = 'Too many attempts; wait a minute.';

/** Words for a failed sign-in: the server's own message when it gave one. */
export function describeLoginError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 429) return TOO_MANY_ATTEMPTS_MESSAGE;
    if (error.status === 0) return 'The server could not be reached.';
    const message = serverMessage(error);
    if (message !== undefined && message.trim() !== '') return message;
    if (error.status === 401) return 'Wrong username or password.';
    const reason = reasonPhrase(error);
    return `Sign-in failed (${error.status}${reason ? ` ${reason}` : ''}).`;
  }
  return error instanceof Error ? error.message : String(error);
}
