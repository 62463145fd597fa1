import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { createUserSchema, idSchema, updateUserSchema, type RoleSummary, type UserSummary } from '@vigil/shared';
import type { Request } from 'express';
import { requestMeta } from '../common/request-meta';
import { parseOrThrow } from '../common/validation';
import { RequireCapability } from './require-capability.decorator';
import { requireSession } from '../common/session-user';
import { UsersService } from './users.service';

@Controller('api/users')
@RequireCapability('users.manage')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  list(): UserSummary[] {
    return this.users.list();
  }

  /** The configured roles with what each grants (the users page offers these). Under /api/users so it needs users.manage too. */
  @Get('roles')
  roles(): RoleSummary[] {
    return this.users.roles();
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @Req() request: Request): Promise<UserSummary> {
    return this.users.create(parseOrThrow(createUserSchema, body ?? null, 'body'), requestMeta(request));
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<UserSummary> {
    const userId = parseOrThrow(idSchema, id, 'id');
    return this.users.update(
      userId,
      parseOrThrow(updateUserSchema, body ?? null, 'body'),
      requireSession(request).user,
      requestMeta(request),
    );
  }
}
