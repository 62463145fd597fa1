import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { can, type EnvironmentsResponse } from '@vigil/shared';
import { map, tap, type Observable } from 'rxjs';
import { SessionService } from './session.service';

/** The configured environments (every one, services or not). */
export const ENVIRONMENTS_URL = '/api/environments';

/**
 * The environment the header's switcher has chosen. `undefined` means every
 * environment the role may view. Pages filter what they show with `selected()`.
 */
@Injectable({ providedIn: 'root' })
export class EnvironmentService {
  private readonly http = inject(HttpClient);
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

  /** Loads the configured environments (GET ENVIRONMENTS_URL, in configuration order); the layout asks once it is shown. */
  load(): Observable<readonly string[]> {
    return this.http.get<EnvironmentsResponse>(ENVIRONMENTS_URL).pipe(
      map(({ environments }) => environments.map((environment) => environment.name)),
      tap((names) => {
        this.setKnown(names);
      }),
    );
  }

  /** The configured environments, in configuration order. */
  setKnown(environments: readonly string[]): void {
    this.known.set(environments);
  }

  select(environment: string | undefined): void {
    this.chosen.set(environment);
  }
}
