import { eventually, getJson, logPosition, ping, postJson } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

describe('GET /api/stream', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it("sends a retry hint and a snapshot first, then each ping's events with their positions as ids", async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream');
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(client.headers['content-encoding']).toBeUndefined();
    await client.waitFor('snapshot', (messages) => messages.length >= 1);
    expect(client.retry).toBeGreaterThan(0);
    const snapshot = client.messages[0];
    expect(snapshot.id).toBeUndefined();
    expect(snapshot.json.type).toBe('snapshot');

    const { commandId, position } = await ping(server.baseUrl);
    await client.waitFor('command.completed', (messages) =>
      messages.some((m) => m.json.type === 'command.completed' && (m.json.data as { commandId: string }).commandId === commandId),
    );
    const mine = client.events.filter((m) => (m.json.data as { commandId: string }).commandId === commandId);
    expect(mine.map((m) => m.json.type)).toEqual(['command.accepted', 'command.started', 'command.output', 'command.completed']);
    expect(mine[0].json.position).toBe(position);
    for (const message of mine) expect(message.id).toBe(String(message.json.position));
    expect(mine[0].json).toMatchObject({
      stream: `command-${commandId}`,
      version: 1,
      meta: { environment: 'staging', actor: { username: 'admin', roles: ['admin'] } },
    });
    expect(mine[0].json.hash).toMatch(/^[0-9a-f]{64}$/);
    client.close();
  });

  it('includes in the snapshot the commands that ran before the client connected', async () => {
    const { commandId } = await ping(server.baseUrl);
    await eventually('ping to complete', async () => {
      const view = await getJson<{ state: string }>(server.baseUrl, `/api/commands/${commandId}`);
      return view.body.state === 'completed' ? true : undefined;
    });
    const client = await SseClient.connect(server.baseUrl, '/api/stream');
    await client.waitFor('snapshot', (messages) => messages.length >= 1);
    const state = client.messages[0].json.state as { commands: { commandId: string; state: string }[]; position: number };
    expect(state.commands.find((command) => command.commandId === commandId)?.state).toBe('completed');
    expect(state.position).toBe(await logPosition(server.baseUrl));
    client.close();
  });

  it('filters by type globs and by environment', async () => {
    const completedOnly = await SseClient.connect(server.baseUrl, '/api/stream?types=command.completed');
    const commandsInProduction = await SseClient.connect(server.baseUrl, '/api/stream?types=command.*&environment=production');
    await completedOnly.waitFor('snapshot', (m) => m.length >= 1);
    await commandsInProduction.waitFor('snapshot', (m) => m.length >= 1);

    const staging = await ping(server.baseUrl);
    const production = await postJson<{ commandId: string }>(server.baseUrl, '/api/commands', {
      type: 'ping',
      target: 'vigil',
      environment: 'production',
    });
    expect(production.status).toBe(202);

    await completedOnly.waitFor('two completions', () => completedOnly.events.length >= 2);
    expect(completedOnly.events.every((m) => m.json.type === 'command.completed')).toBe(true);
    await commandsInProduction.waitFor('production completion', () =>
      commandsInProduction.events.some((m) => m.json.type === 'command.completed'),
    );
    const ids = new Set(commandsInProduction.events.map((m) => (m.json.data as { commandId: string }).commandId));
    expect(ids).toEqual(new Set([production.body.commandId]));
    expect(ids.has(staging.commandId)).toBe(false);
    completedOnly.close();
    commandsInProduction.close();
  });

  it('resumes after Last-Event-ID (header or query) with no snapshot, no gap and no duplicate', async () => {
    const before = await logPosition(server.baseUrl);
    await ping(server.baseUrl);
    await ping(server.baseUrl);
    const target = before + 8;
    await eventually('pings to finish', async () => ((await logPosition(server.baseUrl)) >= target ? true : undefined));

    const resumes: { header: Record<string, string>; path: string }[] = [
      { header: { 'last-event-id': String(before) }, path: '/api/stream' },
      { header: {}, path: `/api/stream?lastEventId=${before}` },
    ];
    for (const resume of resumes) {
      const client = await SseClient.connect(server.baseUrl, resume.path, resume.header);
      await client.waitFor('catch-up', () => client.events.length >= 8);
      expect(client.messages.some((m) => m.json.type === 'snapshot')).toBe(false);
      expect(client.events.slice(0, 8).map((m) => Number(m.id))).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
      client.close();
    }
  });

  it('answers 400 to a malformed Last-Event-ID or type pattern, 404 to an unknown environment', async () => {
    const badHeader = await getJson(server.baseUrl, '/api/stream', { 'last-event-id': 'abc' });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [{ path: 'Last-Event-ID' }] });
    const badTypes = await getJson(server.baseUrl, '/api/stream?types=command.*,DROP%20TABLE');
    expect(badTypes.status).toBe(400);
    expect(badTypes.body).toMatchObject({ details: [{ path: 'query.types' }] });
    const unknownEnv = await getJson(server.baseUrl, '/api/stream?environment=mars');
    expect(unknownEnv.status).toBe(404);
  });

  it("returns a command's state and output at GET /api/commands/:id, 404 for an unknown one", async () => {
    const { commandId } = await ping(server.baseUrl);
    const view = await eventually('completed view', async () => {
      const response = await getJson<{ state: string; output: { text: string }[] }>(server.baseUrl, `/api/commands/${commandId}`);
      return response.body.state === 'completed' ? response.body : undefined;
    });
    expect(view.output.map((line) => line.text)).toEqual(['pong']);
    const missing = await getJson(server.baseUrl, '/api/commands/6f1c2a51-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const malformed = await getJson(server.baseUrl, '/api/commands/not-a-uuid');
    expect(malformed.status).toBe(400);
  });

  it('ends open streams with a "closed" message on SIGTERM, and exits cleanly', async () => {
    const other = await startServer();
    const client = await SseClient.connect(other.baseUrl, '/api/stream');
    await client.waitFor('snapshot', (m) => m.length >= 1);
    const code = await other.stop();
    await client.waitForEnd();
    expect(client.messages.at(-1)?.json).toEqual({ type: 'closed', reason: 'server shutting down' });
    expect(code).toBe(0);
    other.cleanup();
  });
});
