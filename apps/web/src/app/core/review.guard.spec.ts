import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { ReplayInfo, SessionUser } from '@vigil/shared';
import { liveInfo, reviewInfo } from '../../testing/replay-info';
import { ADMIN, OPERATOR, loginResponse } from '../../testing/users';
import { REPLAY_INFO_URL } from './replay-info.service';
import { SessionService } from './session.service';
import { liveOnlyGuard } from './review.guard';

@Component({ template: '' })
class BlankComponent {}

describe('liveOnlyGuard', () => {
  let http: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: '', pathMatch: 'full', canActivate: [liveOnlyGuard], component: BlankComponent },
          { path: 'services', canActivate: [liveOnlyGuard], component: BlankComponent },
          { path: 'replay', component: BlankComponent },
        ]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  async function signIn(user: SessionUser): Promise<void> {
    const done = TestBed.inject(SessionService).login(user.username, 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse(user));
    await done;
  }

  /** Navigates to `url`, answering the replay-info question if the guard asks it (it asks once per session). */
  async function visit(url: string, info: ReplayInfo | 'forbidden'): Promise<{ url: string; asked: number }> {
    const navigated = router.navigateByUrl(url);
    let asked = 0;
    for (let i = 0; i < 20; i++) {
      for (const request of http.match(REPLAY_INFO_URL)) {
        asked += 1;
        if (info === 'forbidden')
          request.flush({ statusCode: 403, error: 'Forbidden', message: 'no replay' }, { status: 403, statusText: 'Forbidden' });
        else request.flush(info);
      }
      await Promise.resolve();
    }
    await navigated;
    return { url: router.url, asked };
  }

  it('sends the dashboard and the services page to /replay on a review server, asking once', async () => {
    await signIn(ADMIN);
    expect(await visit('/', reviewInfo())).toEqual({ url: '/replay', asked: 1 });
    expect(await visit('/services', reviewInfo())).toEqual({ url: '/replay', asked: 0 });
  });

  it('lets live pages open on a live server', async () => {
    await signIn(ADMIN);
    expect(await visit('/services', liveInfo())).toEqual({ url: '/services', asked: 1 });
  });

  it('treats a refused question as live, without asking again', async () => {
    await signIn(ADMIN);
    expect(await visit('/', 'forbidden')).toEqual({ url: '/', asked: 1 });
    expect(await visit('/services', 'forbidden')).toEqual({ url: '/services', asked: 0 });
  });

  it('does not ask for a role without replay (the API would refuse): live', async () => {
    await signIn(OPERATOR);
    expect(await visit('/', 'forbidden')).toEqual({ url: '/', asked: 0 });
  });
});
