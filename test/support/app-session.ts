import type { Browser } from 'playwright-core';
import { postJson } from './http';
import { stopServer, type RunningServer } from './server';

export interface NewUser {
  username: string;
  password: string;
  role: string;
}

/** Creates users through the API as the test admin; throws with the answer if one is refused. */
export async function addUsers(server: RunningServer, ...users: NewUser[]): Promise<void> {
  for (const user of users) {
    const created = await postJson(server.baseUrl, '/api/users', user);
    if (created.status !== 201 && created.status !== 200) throw new Error(`POST /api/users answered ${created.status}: ${created.text}`);
  }
}

/** Closes the browser, then stops the server and removes its data dir (each if it was started). */
export async function closeAppAndServer(browser: Browser | undefined, server: RunningServer | undefined): Promise<void> {
  await browser?.close();
  await stopServer(server);
}
