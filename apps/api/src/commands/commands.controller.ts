import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  can,
  commandRequestSchema,
  commandStreamOf,
  foldCommand,
  idempotencyKeySchema,
  idSchema,
  type CommandAccepted,
  type CommandView,
} from '@vigil/shared';
import { userOf } from '../common/session-user';
import type { Request } from 'express';
import { requestMeta } from '../common/request-meta';
import { parseOrThrow } from '../common/validation';
import { EventStore } from '../event-store/event-store';
import { SubmitCommand } from './submit/submit-command.command';

@Controller('api/commands')
export class CommandsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  /** 202 once `command.accepted` is durably committed; the rest arrives on the stream. */
  @Post()
  @HttpCode(202)
  submit(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
  ): Promise<CommandAccepted> {
    const user = userOf(request);
    if (!user) throw new UnauthorizedException({ message: 'sign in first' });
    const command = parseOrThrow(commandRequestSchema, body ?? null, 'body');
    const key = idempotencyKey === undefined ? undefined : parseOrThrow(idempotencyKeySchema, idempotencyKey, 'Idempotency-Key');
    return this.commandBus.execute(new SubmitCommand(command, requestMeta(request), user, key));
  }

  /** The command folded from its own stream: state, timings, result and all output. */
  @Get(':id')
  async get(@Param('id') id: string, @Req() request: Request): Promise<CommandView> {
    const commandId = parseOrThrow(idSchema, id, 'id');
    const view = foldCommand(await this.store.readStream(commandStreamOf(commandId)));
    if (!view) throw new NotFoundException({ message: `no command ${commandId}` });
    if (!can(userOf(request), { kind: 'view', environment: view.environment })) {
      throw new ForbiddenException({ message: `you may not view ${view.environment}` });
    }
    return view;
  }
}
