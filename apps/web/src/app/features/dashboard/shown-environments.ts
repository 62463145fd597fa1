import type { DashboardState } from '@vigil/shared';

/**
 * The environments that get metric cards: the chosen one, or every viewable one in
 * configuration order followed by any other the state holds (the state is already cut
 * to what the role may view).
 */
export function shownEnvironments(state: DashboardState, viewable: readonly string[], selected: string | undefined): string[] {
  if (selected !== undefined) return [selected];
  const present = new Set<string>();
  for (const sample of Object.values(state.metrics)) if (sample.environment) present.add(sample.environment);
  for (const view of Object.values(state.services)) present.add(view.environment);
  return [...viewable, ...[...present].filter((environment) => !viewable.includes(environment)).sort()];
}
