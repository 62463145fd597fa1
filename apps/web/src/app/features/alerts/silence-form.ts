import type { SilenceMatchers } from '@vigil/shared';

/** `key=value` → a one-label matcher; empty → none; anything else → an error to show. */
export function parseLabelMatcher(text: string): { labels?: Record<string, string> } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const at = trimmed.indexOf('=');
  if (at <= 0) return { error: 'Write the label as key=value, e.g. team=ops.' };
  return { labels: { [trimmed.slice(0, at).trim()]: trimmed.slice(at + 1).trim() } };
}

/** The form's matchers, or why they will not do (the API needs at least one). */
export function formMatchers(rule: string, environment: string, label: string): { matchers: SilenceMatchers } | { error: string } {
  const parsedLabel = parseLabelMatcher(label);
  if ('error' in parsedLabel) return parsedLabel;
  const matchers: SilenceMatchers = {
    ...(rule.trim() === '' ? {} : { rule: rule.trim() }),
    ...(environment === '' ? {} : { environment }),
    ...parsedLabel,
  };
  if (Object.keys(matchers).length === 0)
    return { error: 'Give a rule, an environment or a label: a silence of everything is not allowed.' };
  return { matchers };
}
