import { Body, Controller, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import {
  idSchema,
  incidentNoteBodySchema,
  incidentPinBodySchema,
  maintenanceMarkBodySchema,
  openIncidentBodySchema,
  patchIncidentBodySchema,
  type IncidentNote,
  type IncidentView,
  type MaintenanceMarkedData,
} from '@vigil/shared';
import type { Request } from 'express';
import { RequireCapability } from '../auth/require-capability.decorator';
import { requestMeta } from '../common/request-meta';
import { requireSession } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { IncidentsService } from './incidents.service';

/** The write side of incidents (live server only): capability incidents.manage. */
@Controller('api/incidents')
@RequireCapability('incidents.manage')
export class IncidentChangesController {
  constructor(@Inject(IncidentsService) private readonly incidents: IncidentsService) {}

  @Post()
  @HttpCode(201)
  open(@Body() body: unknown, @Req() request: Request): Promise<IncidentView> {
    const input = parseOrThrow(openIncidentBodySchema, body ?? null, 'body');
    return this.incidents.open(input, requireSession(request).user.username, requestMeta(request));
  }

  @Patch(':id')
  patch(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<IncidentView> {
    const incidentId = parseOrThrow(idSchema, id, 'id');
    const patch = parseOrThrow(patchIncidentBodySchema, body ?? null, 'body');
    return this.incidents.patch(incidentId, patch, requireSession(request).user.username, requestMeta(request));
  }

  @Post(':id/notes')
  @HttpCode(201)
  note(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<IncidentNote> {
    const incidentId = parseOrThrow(idSchema, id, 'id');
    const input = parseOrThrow(incidentNoteBodySchema, body ?? null, 'body');
    return this.incidents.note(incidentId, input, requireSession(request).user.username, requestMeta(request));
  }

  @Post(':id/pins')
  @HttpCode(201)
  pin(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<IncidentView> {
    const incidentId = parseOrThrow(idSchema, id, 'id');
    const input = parseOrThrow(incidentPinBodySchema, body ?? null, 'body');
    return this.incidents.pin(incidentId, input, requireSession(request).user.username, requestMeta(request));
  }
}

/** POST /api/maintenance: marks a past window as maintenance (an annotation on timelines). */
@Controller('api/maintenance')
@RequireCapability('incidents.manage')
export class MaintenanceController {
  constructor(@Inject(IncidentsService) private readonly incidents: IncidentsService) {}

  @Post()
  @HttpCode(201)
  async mark(@Body() body: unknown, @Req() request: Request): Promise<MaintenanceMarkedData & { position: number }> {
    const input = parseOrThrow(maintenanceMarkBodySchema, body ?? null, 'body');
    const event = await this.incidents.markMaintenance(
      input,
      requireSession(request).user.username,
      requestMeta(request, input.environment),
    );
    return { ...(event.data as MaintenanceMarkedData), position: event.position };
  }
}
