import { Injectable, computed, inject, signal } from '@angular/core';
import { can } from '@vigil/shared';
import { SessionService } from './session.service';

/** The environments the signed-in user may view (configured ones, services or not). */
export const ENVIRONMENTS_URL = '/api/environments';

/**
 * The environment the header's switcher has chosen. `undefined` means every
 * environment the role may view. Pages filter what they show with `selected()`.
 */
@Injectable({ providedIn: 'root' })
export class EnvironmentService {
  private readonly session = inject(SessionService);
  private readonly chosen = signal<string | undefined>(undefined);
  private readonly known = signal<readonly string[]>([]);

  /** Environments the signed-in user may view, in configuration order. */
  readonly viewable = computed(() => {
    const user = this.session.user();
    if (!user) return [];
    return this.known().filter((environment) => can(user, { kind: 'view', environment }));
  });

  /** The chosen environment, if still viewable (a role change can take it away). */
  readonly selected = computed(() => {
    const chosen = this.chosen();
    return chosen !== undefined && this.viewable().includes(chosen) ? chosen : undefined;
  });

  /** The configured environments, in configuration order (loaded by the layout from ENVIRONMENTS_URL). */
  setKnown(environments: readonly string[]): void {
    this.known.set(environments);
  }

  select(environment: string | undefined): void {
    this.chosen.set(environment);
  }
}
