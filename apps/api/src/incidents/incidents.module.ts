import { Module } from '@nestjs/common';
import { IncidentChangesController, MaintenanceController } from './incident-changes.controller';
import { IncidentsController } from './incidents.controller';
import { IncidentsReadModel } from './incidents-read-model';
import { IncidentsService } from './incidents.service';
import { LiveIncidents } from './live-incidents';

/** Incidents: opened, changed, noted and pinned as events; their timeline and postmortem over the log. */
@Module({
  controllers: [IncidentsController, IncidentChangesController, MaintenanceController],
  providers: [LiveIncidents, { provide: IncidentsReadModel, useExisting: LiveIncidents }, IncidentsService],
})
export class IncidentsModule {}
