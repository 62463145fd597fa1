import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { createTokenSchema, idSchema, type CreatedToken, type TokenSummary } from '@vigil/shared';
import type { Request } from 'express';
import { z } from 'zod';
import { requestMeta } from '../../common/request-meta';
import { requireSession } from '../../common/session-user';
import { parseOrThrow } from '../../common/validation';
import { TokensService } from './tokens.service';

const listQuerySchema = z.strictObject({ userId: z.uuid().optional() });

/** API tokens (service accounts): POST creates one (shown once), GET lists them with last use, DELETE revokes. */
@Controller('api/tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @Req() request: Request): Promise<CreatedToken> {
    return this.tokens.create(parseOrThrow(createTokenSchema, body ?? null, 'body'), requireSession(request), requestMeta(request));
  }

  @Get()
  list(@Query() query: unknown, @Req() request: Request): TokenSummary[] {
    return this.tokens.list(requireSession(request), parseOrThrow(listQuerySchema, query, 'query').userId);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @Req() request: Request): Promise<void> {
    await this.tokens.revoke(parseOrThrow(idSchema, id, 'id'), requireSession(request), requestMeta(request));
  }
}
