import {
  agentClaimSchema,
  agentCommandEventsSchema,
  agentHelloSchema,
  agentMetricsSchema,
  agentServiceEventsSchema,
  enrolHostSchema,
  nameSchema,
} from '@vigil/shared';
import { z } from 'zod';
import { body, errors, HOST_TOKEN, json, secured, sse, type FeaturePaths, type Operation } from '../common';

const agent = (summary: string, more: Partial<Operation> = {}): Operation => ({
  tags: ['agent protocol'],
  summary,
  security: HOST_TOKEN,
  requestParams: { header: z.object({ 'x-vigil-host': z.string() }) },
  responses: { '200': json('Taken'), ...errors(400, 401, 403, 404, 409) },
  ...more,
});
const commandId = { path: z.object({ id: z.string() }), header: z.object({ 'x-vigil-host': z.string() }) };

export const hostsPaths: FeaturePaths = {
  '/api/hosts': {
    get: secured(undefined, {
      tags: ['hosts'],
      summary: 'Enrolled hosts with status (online/offline), last seen, agent version, labels and services',
      responses: { '200': json('Hosts', z.array(z.looseObject({ name: z.string(), status: z.string() }))) },
    }),
    post: secured('hosts.manage', {
      tags: ['hosts'],
      summary: 'Enrol a host (host.enrolled): its token is shown once, only its hash is kept',
      requestBody: body(enrolHostSchema),
      responses: {
        '201': json('The host and its token, once', z.looseObject({ name: z.string(), token: z.string() })),
        ...errors(400, 409),
      },
    }),
  },
  '/api/hosts/{name}': {
    delete: secured('hosts.manage', {
      tags: ['hosts'],
      summary: 'Revoke a host (host.revoked): its agent is cut off at once',
      requestParams: { path: z.object({ name: nameSchema }) },
      responses: { '200': json('Revoked'), '204': { description: 'Revoked' }, ...errors(404) },
    }),
  },
  '/api/agent/hello': {
    post: agent('An agent declares its version and services (host.declared)', { requestBody: body(agentHelloSchema) }),
  },
  '/api/agent/heartbeat': { post: agent('The agent is alive (offline after 15 s without one)') },
  '/api/agent/metrics': {
    post: agent('A batch of samples (live, or back-filled after an outage)', { requestBody: body(agentMetricsSchema) }),
  },
  '/api/agent/events': { post: agent("Service events of the host's declared services", { requestBody: body(agentServiceEventsSchema) }) },
  '/api/agent/commands/{id}/start': {
    post: agent('Claim a command: command.started at the expected version (409 if already claimed)', {
      requestParams: commandId,
      requestBody: body(agentClaimSchema),
    }),
  },
  '/api/agent/commands/{id}/events': {
    post: agent("A claimed command's output, progress and outcome", {
      requestParams: commandId,
      requestBody: body(agentCommandEventsSchema),
    }),
  },
  '/api/agent/stream': {
    get: agent("SSE: the commands for this host's services (Last-Event-ID resume)", {
      requestParams: {
        header: z.object({ 'x-vigil-host': z.string(), 'last-event-id': z.string().optional() }),
        query: z.object({ lastEventId: z.string().optional() }),
      },
      responses: { '200': sse('Commands for this host, then live'), ...errors(401, 403) },
    }),
  },
};
