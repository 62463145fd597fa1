import { EVENT_TYPES } from '@vigil/shared';
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

/**
 * Pieces every route description uses: the error body, the auth schemes, JSON and
 * SSE content. A feature's routes live in paths/<feature>.paths.ts.
 */
export type Operation = ZodOpenApiOperationObject;
/** Path (OpenAPI form, `{id}`) → method → operation. */
export type FeaturePaths = Record<string, Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Operation>>>;

export const errorBodySchema = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    details: z.union([z.array(z.object({ path: z.string(), message: z.string() })), z.record(z.string(), z.unknown())]).optional(),
  })
  .meta({
    id: 'ErrorBody',
    description: 'Every error answer: 400 with field-level details for bad input, 401, 403, 404, 409, 413, 429, 503.',
  });

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad input: `details` names each field and what is wrong',
  401: 'No session, or an expired or revoked one',
  403: 'The role lacks the capability (or a cookie write lacks X-CSRF-Token)',
  404: 'Unknown target, environment or id',
  409: 'Conflict: the target is busy or the name is taken',
  413: 'Body too large',
  429: 'Rate limited',
  503: 'Unavailable (shutting down, or the owner of the target is offline)',
};

/** Error answers with the shared body. 401 comes with every secured route. */
export function errors(...codes: number[]): ZodOpenApiResponsesObject {
  return Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: REASONS[code] ?? 'Error', content: { 'application/json': { schema: errorBodySchema } } },
    ]),
  );
}

/** A JSON success answer. */
export function json(description: string, schema: z.ZodType = z.looseObject({})): ZodOpenApiResponseObject {
  return { description, content: { 'application/json': { schema } } };
}

/** A JSON request body from a zod schema of libs/shared. */
export function body(schema: z.ZodType): NonNullable<Operation['requestBody']> {
  return { required: true, content: { 'application/json': { schema } } };
}

/** Signed-in routes: a bearer token, or the session cookie (cookie writes also send X-CSRF-Token). */
export const SIGNED_IN: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
/** No session needed. */
export const PUBLIC: [] = [];

export const securitySchemes = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'accessToken from POST /api/auth/login' },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'vigil_session',
    description:
      'Set by POST /api/auth/login (HttpOnly, SameSite=Strict); writes also need the X-CSRF-Token header (the vigil_csrf cookie).',
  },
  hostToken: {
    type: 'http',
    scheme: 'bearer',
    description: "The agent protocol only: an enrolled host's token (POST /api/hosts), sent with the header X-Vigil-Host: <host name>.",
  },
} as const;

/** Agent-protocol routes: the host's token and name, never a user session. */
export const HOST_TOKEN: Record<string, string[]>[] = [{ hostToken: [] }];

/** A signed-in operation whose role needs `capability`. */
export function secured(capability: string | undefined, operation: Operation): Operation {
  return {
    security: SIGNED_IN,
    ...operation,
    ...(capability ? { description: `${operation.description ?? ''}\n\nNeeds the capability \`${capability}\`.`.trim() } : {}),
    responses: { ...operation.responses, ...errors(401, ...(capability ? [403] : [])) },
  };
}

/** The envelope of a durable event: an SSE message with `id:` (its position). */
export const storedEventSchema = z
  .object({
    position: z.number().int(),
    stream: z.string(),
    version: z.number().int(),
    type: z.enum(EVENT_TYPES),
    data: z.looseObject({}),
    meta: z.looseObject({ correlationId: z.string() }),
    time: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'StoredEvent', description: 'A durable event (SSE `id:` = position; resume with Last-Event-ID).' });

const snapshotMessage = z
  .object({ type: z.literal('snapshot'), position: z.number().int(), state: z.looseObject({}), reason: z.string().optional() })
  .meta({
    id: 'SnapshotMessage',
    description: 'First on a new stream (no `id:`); with `reason` (and an `id:`) when a Last-Event-ID could not be honoured.',
  });
const metricsMessage = z
  .object({
    type: z.literal('metrics'),
    source: z.string(),
    environment: z.string().optional(),
    time: z.string(),
    values: z.record(z.string(), z.number()),
  })
  .meta({ id: 'MetricsMessage', description: 'One sample of one source (live only, no `id:`).' });
const closedMessage = z
  .object({ type: z.literal('closed'), reason: z.string() })
  .meta({ id: 'ClosedMessage', description: 'Sent just before the server ends the stream on purpose.' });

/** Each `data:` line of /api/stream and /api/replay is one of these (a `:` comment line is the heartbeat). */
export const streamMessageSchema = z
  .union([storedEventSchema, snapshotMessage, metricsMessage, closedMessage])
  .meta({ id: 'StreamMessage', description: 'The JSON of one SSE `data:` line.' });

export function sse(description: string): ZodOpenApiResponseObject {
  return { description, content: { 'text/event-stream': { schema: streamMessageSchema } } };
}
