import { globMatches, type CommandRequest } from '@vigil/shared';
import type { ApprovalRule } from '../../config/approvals-config.schema';

/** The first approval rule a request matches; `cancel` never waits (it only stops what runs). */
export function approvalRuleFor(rules: readonly ApprovalRule[], request: CommandRequest): ApprovalRule | undefined {
  if (request.type === 'cancel') return undefined;
  const matches = (patterns: readonly string[], value: string): boolean => patterns.some((pattern) => globMatches(pattern, value));
  return rules.find(
    (rule) =>
      matches(rule.commands, request.type) && matches(rule.targets, request.target) && matches(rule.environments, request.environment),
  );
}

/** What decideSubmit needs of the rule: who approves, and the request's expiry from `now`. */
export function approvalFor(rule: ApprovalRule | undefined, now: number): { approvers: string[]; expiresAt: string } | undefined {
  if (!rule) return undefined;
  return { approvers: rule.approvers, expiresAt: new Date(now + rule.expiresMinutes * 60_000).toISOString() };
}
