import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { DashboardState } from '@vigil/shared';
import { AlertRulesController } from '../alerts/alert-rules.controller';
import { AlertsReadModel } from '../alerts/alerts-read-model';
import { SilencesController } from '../alerts/silences.controller';
import { CsrfTokens } from '../auth/csrf-tokens';
import { SessionController } from '../auth/session.controller';
import { EnvironmentCatalog } from '../config/environment-catalog';
import { HealthController } from '../health/health.controller';
import { HealthSource } from '../health/health-source';
import type { IncidentBundle } from '../incident/bundle-reader';
import { BundleReplaySource } from '../incident/bundle-replay-source';
import { IncidentsController } from '../incidents/incidents.controller';
import { IncidentsReadModel } from '../incidents/incidents-read-model';
import { ReplayController } from '../replay/replay.controller';
import { ReplayService } from '../replay/replay.service';
import { EnvironmentsController } from '../services/environments.controller';
import { ServicesController } from '../services/services.controller';
import { ServicesReadModel } from '../services/services-read-model';
import { ApiExceptionFilter } from '../web/api-exception.filter';
import { BundleAlerts, bundleEnvironments, BundleHealth, BundleServices } from './bundle-read-models';
import { BundleIncidents } from './bundle-incidents';
import { BundleReplayService } from './bundle-replay.service';
import { ReviewerGuard } from './reviewer.guard';

/**
 * `vigil review FILE`: the live server's own read-side controllers (health, the
 * session, replay, environments, services, alert rules, silences) over one incident
 * bundle. Their ports are bound to the bundle instead of the log's projections;
 * nothing that writes is mounted, and no event store, supervisor or collector runs.
 */
/** Nothing can be written on a review server, so there is no CSRF token to hand out. */
class NoCsrfTokens extends CsrfTokens {
  tokenFor(): string {
    return '';
  }
}

@Module({})
export class ReviewModule {
  /** `end`: the dashboard state the bundle folds to at the window's end. */
  static forBundle(bundle: IncidentBundle, end: DashboardState): DynamicModule {
    const source = new BundleReplaySource(bundle);
    return {
      module: ReviewModule,
      controllers: [
        HealthController,
        SessionController,
        ReplayController,
        EnvironmentsController,
        ServicesController,
        AlertRulesController,
        SilencesController,
        IncidentsController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_GUARD, useClass: ReviewerGuard },
        { provide: CsrfTokens, useValue: new NoCsrfTokens() },
        { provide: EnvironmentCatalog, useValue: bundleEnvironments(end) },
        { provide: ServicesReadModel, useValue: new BundleServices(bundle, end) },
        { provide: AlertsReadModel, useValue: new BundleAlerts(bundle) },
        { provide: HealthSource, useValue: new BundleHealth(bundle) },
        { provide: IncidentsReadModel, useValue: new BundleIncidents(bundle) },
        { provide: ReplayService, useFactory: (): ReplayService => new BundleReplayService(bundle, source) },
      ],
    };
  }
}
