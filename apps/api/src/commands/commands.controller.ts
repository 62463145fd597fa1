import { Body, Controller, Get, Headers, HttpCode, Inject, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { commandRequestSchema, commandStreamOf, foldCommand, idempotencyKeySchema, type CommandAccepted, type CommandView } from '@vigil/shared';
import type { Request } from 'express';
import { z } from 'zod';
import { requestMeta } from '../common/request-meta';
import { parseOrThrow } from '../common/validation';
import { EventStore } from '../event-store/event-store';
import { SubmitCommand } from './commands/submit-command.command';

const commandIdSchema = z.uuid();

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
    const command = parseOrThrow(commandRequestSchema, body ?? null, 'body');
    const key = idempotencyKey === undefined ? undefined : parseOrThrow(idempotencyKeySchema, idempotencyKey, 'Idempotency-Key');
    return this.commandBus.execute(new SubmitCommand(command, requestMeta(request), key));
  }

  /** The command folded from its own stream: state, timings, result and all output. */
  @Get(':id')
  async get(@Param('id') id: string): Promise<CommandView> {
    const commandId = parseOrThrow(commandIdSchema, id, 'id');
    const view = foldCommand(await this.store.readStream(commandStreamOf(commandId)));
    if (!view) throw new NotFoundException({ message: `no command ${commandId}` });
    return view;
  }
}
