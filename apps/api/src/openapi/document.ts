import { createDocument } from 'zod-openapi';
import { vigilVersion } from '../common/vigil-version';
import { securitySchemes, type FeaturePaths } from './common';
import { accountPaths } from './paths/account.paths';
import { alertRuleToolsPaths } from './paths/alert-rule-tools.paths';
import { alertsPaths } from './paths/alerts.paths';
import { approvalsPaths } from './paths/approvals.paths';
import { auditPaths } from './paths/audit.paths';
import { authPaths } from './paths/auth.paths';
import { commandsPaths } from './paths/commands.paths';
import { hostsPaths } from './paths/hosts.paths';
import { identityPaths } from './paths/identity.paths';
import { incidentsPaths } from './paths/incidents.paths';
import { metricsPaths } from './paths/metrics.paths';
import { platformPaths } from './paths/platform.paths';
import { streamPaths } from './paths/stream.paths';

/**
 * Every feature's routes. To document a new route: describe it in its feature's
 * paths/<feature>.paths.ts (or a new file listed here), with the zod schemas from
 * libs/shared for its query and body. test/api/openapi.test.ts fails for any route
 * Nest maps that is missing here.
 */
const FEATURES: readonly FeaturePaths[] = [
  authPaths,
  accountPaths,
  identityPaths,
  metricsPaths,
  streamPaths,
  commandsPaths,
  approvalsPaths,
  platformPaths,
  auditPaths,
  alertsPaths,
  alertRuleToolsPaths,
  hostsPaths,
  incidentsPaths,
];

function merged(): FeaturePaths {
  const paths: FeaturePaths = {};
  for (const feature of FEATURES) {
    for (const [path, methods] of Object.entries(feature)) paths[path] = { ...paths[path], ...methods };
  }
  return paths;
}

let cached: ReturnType<typeof createDocument> | undefined;

/** The OpenAPI 3.1 document, generated from the zod schemas once per process. */
export function openApiDocument(): ReturnType<typeof createDocument> {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: vigilVersion(),
      description:
        'Live operations dashboard. Errors are JSON `{statusCode, error, message, details?}`. Streams are Server-Sent Events whose `data:` lines are `StreamMessage`s.',
    },
    components: { securitySchemes },
    paths: merged(),
  });
  return cached;
}
