import { HttpErrorResponse } from '@angular/common/http';
import { describeHttpError } from './http-error';

describe('describeHttpError', () => {
  it("names the status by the API's own reason, not statusText (HTTP/2 carries none, browsers then say OK)", () => {
    const error = new HttpErrorResponse({ status: 403, statusText: 'OK', error: { statusCode: 403, error: 'Forbidden', message: 'no' } });
    expect(describeHttpError(error)).toBe('403 Forbidden: no');
  });

  it('falls back to the standard reason phrase, then to "error"', () => {
    expect(describeHttpError(new HttpErrorResponse({ status: 503, statusText: '', error: 'down' }))).toBe('503 Service Unavailable: down');
    expect(describeHttpError(new HttpErrorResponse({ status: 418, statusText: 'OK' }))).toBe('418 error');
  });

  it('says when the server was not reached, and passes other errors through', () => {
    expect(describeHttpError(new HttpErrorResponse({ status: 0 }))).toBe('The server could not be reached.');
    expect(describeHttpError(new Error('boom'))).toBe('boom');
  });
});
