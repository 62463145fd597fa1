import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { approvalDecisionSchema, can, idSchema, type CommandAccepted, type PendingApproval } from '@vigil/shared';
import type { Request } from 'express';
import { requestMeta } from '../../common/request-meta';
import { requireSession } from '../../common/session-user';
import { parseOrThrow } from '../../common/validation';
import { ApprovalsService } from './approvals.service';
import type { ApprovalVerb } from './decide-approval';
import { PendingApprovals } from './pending-approvals';

/** Four-eyes approvals: the pending list, approve and reject. */
@Controller('api')
export class ApprovalsController {
  constructor(
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(PendingApprovals) private readonly pending: PendingApprovals,
  ) {}

  /** Commands awaiting approval in the environments the caller may view, oldest first. */
  @Get('approvals')
  list(@Req() request: Request): PendingApproval[] {
    const { user } = requireSession(request);
    return this.pending.list().filter((item) => can(user, { kind: 'view', environment: item.environment }));
  }

  @Post('commands/:id/approve')
  @HttpCode(200)
  approve(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<CommandAccepted> {
    return this.decide('approve', id, body, request);
  }

  @Post('commands/:id/reject')
  @HttpCode(200)
  reject(@Param('id') id: string, @Body() body: unknown, @Req() request: Request): Promise<CommandAccepted> {
    return this.decide('reject', id, body, request);
  }

  private decide(verb: ApprovalVerb, id: string, body: unknown, request: Request): Promise<CommandAccepted> {
    const commandId = parseOrThrow(idSchema, id, 'id');
    const { comment } = parseOrThrow(approvalDecisionSchema, body ?? {}, 'body');
    return this.approvals.decide(verb, commandId, requireSession(request).user, comment, requestMeta(request));
  }
}
