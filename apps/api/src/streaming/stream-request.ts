import { BadRequestException } from '@nestjs/common';
import { streamQuerySchema } from '@vigil/shared';
import type { SessionInfo } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { accessFor } from '../sse/stream-access';
import { assertViewableEnvironment } from '../sse/stream-environment';
import { toStreamFilter } from '../sse/stream-query';
import type { OpenStreamOptions } from './stream-hub.service';

const LAST_EVENT_ID = /^\d{1,15}$/;

/**
 * What a GET /api/stream asks for, checked: the query (zod), the environment the
 * user's role may view, and the resume position (the Last-Event-ID header wins over
 * `?lastEventId=`). Throws the HttpException the client gets. One function for the
 * Nest controller and the direct route, so both accept exactly the same requests.
 */
export function streamRequestOf(
  session: SessionInfo,
  rawQuery: unknown,
  lastEventIdHeader: string | undefined,
  environments: readonly { name: string }[],
): OpenStreamOptions {
  const { user } = session;
  const query = parseOrThrow(streamQuerySchema, rawQuery, 'query');
  assertViewableEnvironment(environments, user, query.environment);
  if (lastEventIdHeader !== undefined && !LAST_EVENT_ID.test(lastEventIdHeader)) {
    throw new BadRequestException({
      message: 'invalid Last-Event-ID header',
      details: [{ path: 'Last-Event-ID', message: 'must be a non-negative integer' }],
    });
  }
  const resumeFrom = lastEventIdHeader ?? query.lastEventId;
  return {
    filter: toStreamFilter(query),
    access: accessFor(user, session.jti),
    lastEventId: resumeFrom === undefined ? undefined : Number(resumeFrom),
  };
}
