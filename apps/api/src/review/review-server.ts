import {
  alertRulesQuerySchema,
  environmentsIn,
  rulesInForceAt,
  silencesAt,
  type AlertRulesResponse,
  type EnvironmentsResponse,
  type ReplayInfo,
  type SilenceView,
} from '@vigil/shared';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { AlertsState } from '../alerts/alerts-state';
import type { IncidentBundle } from '../incident/bundle-reader';
import type { ReplaySource } from '../replay/replay-source';
import { serviceSummary } from '../services/service-summary';
import { securityHeaders } from '../web/security-headers';
import { sendError, sendJson } from './json-response';
import { parseQuery } from './parse-query';
import { reviewerSession } from './reviewer-session';
import { StaticFiles } from './static-files';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => void | Promise<void>;

export interface ReviewServerOptions {
  bundle: IncidentBundle;
  /** The built web app (dist/web/browser). */
  webRoot: string;
  /** The bundle as a replay source (the services at the window's end come from it). */
  source: ReplaySource;
  /** GET /api/replay and GET /api/replay/markers, served from the bundle. */
  replayRoutes: Readonly<Record<string, RouteHandler>>;
  /** Open replay streams, for /api/health. */
  activeClients?: () => number;
}

/** Everything that is not a web app page: these answer JSON, never index.html. */
const API_PREFIXES = ['/api/', '/metrics'];

/** Matcher silences the bundle's events made, folded as the live server folds them, listed as at the window's end. */
function bundleSilences(bundle: IncidentBundle): SilenceView[] {
  const alerts = new AlertsState([]);
  for (const item of bundle.items) if (item.kind === 'event') alerts.apply(item.event);
  return silencesAt(alerts.silences.values(), Date.parse(bundle.header.to));
}

/**
 * `vigil review FILE`: a read-only server for one incident bundle. No Nest, no
 * event store, no supervisor, no collectors: the web app, a reviewer session, the
 * bundle's replay, the services and alert rules as recorded, health. Anything else
 * is a JSON 404, any other method a 405.
 */
export function createReviewServer(options: ReviewServerOptions): Server {
  const { bundle } = options;
  const files = new StaticFiles(options.webRoot);
  const headers = securityHeaders();
  const started = Date.now();
  let lastPosition = bundle.snapshot.position;
  let lastMetricAt: string | null = null;
  for (const item of bundle.items) {
    if (item.kind === 'event') lastPosition = item.event.position;
    else lastMetricAt = item.sample.time;
  }
  const info: ReplayInfo = {
    mode: 'review',
    from: bundle.header.from,
    to: bundle.header.to,
    bundle: {
      file: basename(bundle.file),
      createdAt: bundle.header.createdAt,
      events: bundle.header.events,
      samples: bundle.header.samples,
    },
  };
  const routes: Record<string, RouteHandler> = {
    '/api/health': (_request, response) => {
      const memory = process.memoryUsage();
      sendJson(response, 200, {
        status: 'ok',
        mode: 'review',
        uptimeS: Math.round((Date.now() - started) / 1000),
        activeClients: options.activeClients?.() ?? 0,
        eventLogPosition: lastPosition,
        lastMetricAt,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
      });
    },
    '/api/auth/me': (_request, response) => {
      sendJson(response, 200, reviewerSession());
    },
    '/api/replay/info': (_request, response) => {
      sendJson(response, 200, info);
    },
    // The header's environment switcher: those the bundle shows anything of at the window's end.
    '/api/environments': async (_request, response) => {
      const { state } = await options.source.snapshotAt(new Date(bundle.header.to));
      sendJson(response, 200, { environments: environmentsIn(state).map((name) => ({ name })) } satisfies EnvironmentsResponse);
    },
    // The matcher silences made inside the window (the alerts panel marks what they covered).
    '/api/silences': (_request, response) => {
      sendJson(response, 200, { silences: bundleSilences(bundle) });
    },
    // The services as they stood at the window's end.
    '/api/services': async (_request, response, query) => {
      const environment = query.get('environment') ?? undefined;
      const { state } = await options.source.snapshotAt(new Date(bundle.header.to));
      const views = Object.values(state.services).filter((view) => environment === undefined || view.environment === environment);
      sendJson(
        response,
        200,
        views.map((view) => serviceSummary(view, Date.parse(bundle.header.to))),
      );
    },
    // The metric cards' warning and critical levels: the rules at `?at=` (as the bundle's timeline
    // records them), else at the window's end.
    '/api/alert-rules': (_request, response, query) => {
      const parsed = parseQuery(alertRulesQuerySchema, query);
      if ('details' in parsed) {
        sendError(response, 400, 'invalid query', parsed.details);
        return;
      }
      const { at } = parsed.data;
      const rules = at === undefined ? bundle.alertRules : (rulesInForceAt(bundle.alertRulesTimeline, Date.parse(at)) ?? bundle.alertRules);
      sendJson(response, 200, { rules } satisfies AlertRulesResponse);
    },
    ...options.replayRoutes,
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://review.invalid');
    if (request.method !== 'GET') {
      response.setHeader('Allow', 'GET');
      sendError(response, 405, `${request.method} is not allowed: this review server is read-only`);
      return;
    }
    const route = routes[url.pathname];
    if (route) return route(request, response, url.searchParams);
    const isApi = url.pathname === '/api' || API_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
    if (!isApi && files.serve(request, response, url.pathname)) return;
    sendError(response, 404, `Cannot GET ${url.pathname}: a review server serves the bundle's replay only`);
  };

  return createServer((request, response) => {
    headers(request, response, () => {
      handle(request, response).catch((error: unknown) => {
        if (response.headersSent) response.destroy(error instanceof Error ? error : undefined);
        else sendError(response, 500, 'internal error');
      });
    });
  });
}
