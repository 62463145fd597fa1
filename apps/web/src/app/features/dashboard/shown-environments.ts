import { environmentsIn, type DashboardState } from '@vigil/shared';

/**
 * The environments that get metric cards: the chosen one, or every viewable one in
 * configuration order followed by any other the state holds (the state is already cut
 * to what the role may view).
 */
export function shownEnvironments(state: DashboardState, viewable: readonly string[], selected: string | undefined): string[] {
  if (selected !== undefined) return [selected];
  const others = environmentsIn(state).filter((environment) => !viewable.includes(environment));
  return [...viewable, ...others.sort()];
}
