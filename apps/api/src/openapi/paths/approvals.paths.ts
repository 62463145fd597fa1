import { approvalDecisionSchema } from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, secured, type FeaturePaths } from '../common';

const decide = (summary: string) =>
  secured(undefined, {
    tags: ['approvals'],
    summary,
    description: 'Refused (403, recorded as command.denied) for your own command or without an approver role; 409 once decided or expired.',
    requestParams: { path: z.object({ id: z.string() }) },
    requestBody: body(approvalDecisionSchema),
    responses: { '200': json('Decided'), ...errors(400, 403, 404, 409) },
  });

export const approvalsPaths: FeaturePaths = {
  '/api/approvals': {
    get: secured(undefined, {
      tags: ['approvals'],
      summary: 'Commands awaiting approval in the environments you may view',
      responses: { '200': json('Pending approvals', z.looseObject({})) },
    }),
  },
  '/api/commands/{id}/approve': { post: decide('Approve a command another user asked for (command.approved); it then runs') },
  '/api/commands/{id}/reject': { post: decide('Reject a command (command.rejected), or withdraw your own request') },
};
