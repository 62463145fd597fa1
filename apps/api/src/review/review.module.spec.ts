import { RequestMethod, type Type } from '@nestjs/common';
import { initialDashboardState } from '@vigil/shared';
import { AlertsModule } from '../alerts/alerts.module';
import type { IncidentBundle } from '../incident/bundle-reader';
import { IncidentsModule } from '../incidents/incidents.module';
import { ReplayModule } from '../replay/replay.module';
import { ServicesModule } from '../services/services.module';
import { ReviewModule } from './review.module';

const bundle: IncidentBundle = {
  file: 'incident.ndjson',
  header: {
    kind: 'header',
    format: 'vigil-incident',
    version: 1,
    from: '2026-11-27T03:00:00.000Z',
    to: '2026-11-27T03:10:00.000Z',
    createdAt: '2026-11-27T04:00:00.000Z',
    events: 0,
    samples: 0,
  },
  snapshot: { position: 0, state: initialDashboardState() },
  alertRules: [],
  alertRulesTimeline: [],
  items: [],
};

/** Nest's metadata keys (@nestjs/common/constants, which ESM jest cannot import on its own). */
const CONTROLLERS = 'controllers';
const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';

/**
 * Live modules whose controllers the review server mounts. AuthModule and HealthModule
 * (SessionController, HealthController) are left out: they load @nestjs/throttler, a
 * CommonJS package that jest's ESM mode cannot load (review-parity.test.ts covers them).
 */
const LIVE_MODULES = [AlertsModule, ReplayModule, ServicesModule, IncidentsModule];

function controllersOf(module: Type): Type[] {
  return (Reflect.getMetadata(CONTROLLERS, module) as Type[] | undefined) ?? [];
}

/** Every route of a controller class: its HTTP method and path (handlers are the decorated prototype methods). */
function routesOf(controller: Type): { method: RequestMethod; path: string }[] {
  const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .map((name) => prototype[name])
    .filter((handler): handler is object => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler))
    .map((handler) => ({
      method: Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod,
      path: `${prefix}/${Reflect.getMetadata(PATH_METADATA, handler) as string}`.replace(/\/+$/, ''),
    }));
}

describe('ReviewModule', () => {
  const mounted = ReviewModule.forBundle(bundle, initialDashboardState()).controllers ?? [];

  it("mounts the live server's own controller classes, not copies", () => {
    const live = new Set(LIVE_MODULES.flatMap(controllersOf));
    const checked = mounted.filter((controller) => !['HealthController', 'SessionController'].includes(controller.name));
    expect(checked.length).toBe(6);
    for (const controller of checked)
      expect({ controller: controller.name, live: live.has(controller) }).toEqual({ controller: controller.name, live: true });
  });

  it('has only GET routes: nothing that writes is reachable', () => {
    const routes = mounted.flatMap(routesOf);
    expect(routes.map((route) => route.path).sort()).toEqual([
      'api/alert-rules',
      'api/auth/me',
      'api/environments',
      'api/health',
      'api/incidents',
      'api/incidents/:id',
      'api/incidents/:id/postmortem.md',
      'api/incidents/:id/timeline',
      'api/replay',
      'api/replay/info',
      'api/replay/markers',
      'api/services',
      'api/silences',
    ]);
    expect(routes.every((route) => route.method === RequestMethod.GET)).toBe(true);
  });
});
