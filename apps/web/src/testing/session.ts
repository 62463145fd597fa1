import type { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { initialDashboardState, type AlertView, type DashboardState, type SessionUser } from '@vigil/shared';
import type { DashboardSource } from '../app/core/dashboard-source';
import { SessionService } from '../app/core/session.service';
import { loginResponse } from './users';

/** Signs in through the real SessionService, answering its login request. */
export async function signInAs(http: HttpTestingController, user: SessionUser): Promise<void> {
  const session = TestBed.inject(SessionService);
  const done = session.login(user.username, 'pw');
  http.expectOne('/api/auth/login').flush(loginResponse(user));
  await done;
}

/** A dashboard source the test drives by hand (live or replay). */
export function testDashboardSource(mode: DashboardSource['mode'], now: number, alerts: AlertView[] = []) {
  const state = signal<DashboardState>({ ...initialDashboardState(), alerts });
  const clock = signal(now);
  return { mode, state, now: clock, snapshots: signal(mode === 'replay' ? 1 : 0) } satisfies DashboardSource;
}
