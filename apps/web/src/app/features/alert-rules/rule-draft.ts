import { alertRuleSchema, type AlertRule, type AlertRuleChange } from '@vigil/shared';

export type RuleKind = AlertRule['kind'];

/** The form's fields as typed (strings), for every kind; only the kind's own are sent. */
export type RuleDraft = Record<string, string> & { kind: RuleKind };

/** The fields each kind's form shows, in order, with their labels. */
export const KIND_FIELDS: Readonly<
  Record<RuleKind, readonly { key: string; label: string; numeric?: boolean; choices?: readonly string[] }[]>
> = {
  threshold: [
    { key: 'metric', label: 'Metric' },
    { key: 'source', label: 'Source (glob)' },
    { key: 'environment', label: 'Environment (glob)' },
    { key: 'comparator', label: 'Comparator', choices: ['>', '>=', '<', '<='] },
    { key: 'threshold', label: 'Threshold', numeric: true },
    { key: 'forSeconds', label: 'For (seconds)', numeric: true },
  ],
  absent: [
    { key: 'source', label: 'Source (glob)' },
    { key: 'environment', label: 'Environment (glob)' },
    { key: 'seconds', label: 'Quiet for (seconds)', numeric: true },
  ],
  service: [
    { key: 'service', label: 'Service (glob)' },
    { key: 'environment', label: 'Environment (glob)' },
    { key: 'trigger', label: 'Trigger', choices: ['crash', 'restart-loop'] },
    { key: 'restarts', label: 'Restarts', numeric: true },
    { key: 'withinMinutes', label: 'Within (minutes)', numeric: true },
  ],
};

export const SEVERITY_CHOICES = ['info', 'warning', 'critical'] as const;

export function emptyDraft(kind: RuleKind = 'threshold'): RuleDraft {
  return { kind, name: '', severity: 'warning', comparator: '>', trigger: 'crash' };
}

/** A rule as the form edits it (numbers as text; defaults kept, so an edit sends what was there). */
export function draftOf(rule: AlertRule): RuleDraft {
  const draft: RuleDraft = { ...emptyDraft(rule.kind), name: rule.name, severity: rule.severity };
  for (const field of KIND_FIELDS[rule.kind]) {
    const value = (rule as unknown as Record<string, unknown>)[field.key];
    if (typeof value === 'string' || typeof value === 'number') draft[field.key] = String(value);
  }
  return draft;
}

/** The request body for the draft: its kind's non-empty fields, numbers as numbers. */
export function bodyOf(draft: RuleDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: draft.kind, name: (draft['name'] ?? '').trim(), severity: draft['severity'] };
  for (const field of KIND_FIELDS[draft.kind]) {
    const text = (draft[field.key] ?? '').trim();
    if (text === '') continue;
    body[field.key] = field.numeric ? Number(text) : text;
  }
  return body;
}

/** What the API would answer, per field, checked with the shared schema before anything is sent. */
export function draftErrors(draft: RuleDraft): Record<string, string> {
  const parsed = alertRuleSchema.safeParse(bodyOf(draft));
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'rule');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Where a rule in force comes from: the config, or its last run-time change (by whom, when). */
export function originOf(name: string, changes: readonly AlertRuleChange[]): string {
  const last = changes.filter((change) => change.name === name && change.change !== 'deleted').at(-1);
  if (!last) return 'config';
  return `${last.change} at run time${last.by ? ` by ${last.by}` : ''}`;
}
