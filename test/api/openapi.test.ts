/**
 * Issue 17, point 2: /api/openapi.json is a valid OpenAPI 3.1 document covering
 * every route Nest maps (read from Nest's own "Mapped {path, method}" start-up
 * lines, so a route added anywhere fails here until it is documented), and
 * /api/docs is a reference page served from this origin within the CSP.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { getJson, send } from '../support/http';
import { startServer, stopServer, type RunningServer } from '../support/server';

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
}
interface Document {
  openapi: string;
  paths: Partial<Record<string, Partial<Record<string, Operation>>>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** Every route Nest mapped, as OpenAPI paths (`:id` → `{id}`) and lower-case methods. */
function mappedRoutes(output: string): { path: string; method: string }[] {
  return [...output.matchAll(/Mapped \{([^,}]+), (\w+)\} route/g)].map((match) => ({
    path: match[1].replace(/:(\w+)/g, '{$1}'),
    method: match[2].toLowerCase(),
  }));
}

describe('the OpenAPI document', () => {
  let server: RunningServer | undefined;
  let doc: Document;

  function op(path: string, method: string): Operation {
    const operation = doc.paths[path]?.[method];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return operation;
  }

  beforeAll(async () => {
    server = await startServer();
    const response = await getJson<Document>(server.baseUrl, '/api/openapi.json', { authorization: '' });
    expect(response.status).toBe(200);
    doc = response.body;
  });
  afterAll(() => stopServer(server));

  it('is valid OpenAPI 3.1 (by an OpenAPI schema validator)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('documents every route Nest maps, each with responses, and errors for the secured ones', () => {
    const routes = mappedRoutes(server?.output() ?? '');
    expect(routes.length).toBeGreaterThan(25);
    const missing = routes
      .filter((route) => !doc.paths[route.path]?.[route.method])
      .map((route) => `${route.method.toUpperCase()} ${route.path}`);
    // Add the route to apps/api/src/openapi/paths/<feature>.paths.ts (see the README, "API description").
    expect(missing).toEqual([]);
    for (const route of routes) {
      const operation = op(route.path, route.method);
      expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
      const signedIn = operation.security?.some((requirement) => 'session' in requirement) ?? false;
      if (signedIn) expect(operation.responses['401']).toBeDefined();
      for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1])) {
        expect(operation.parameters?.some((parameter) => parameter.in === 'path' && parameter.name === name)).toBe(true);
      }
    }
  });

  it('describes auth, bodies, queries, errors and the SSE message types from the shared zod schemas', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'hostToken', 'session']);
    const login = op('/api/auth/login', 'post');
    expect(login.security).toEqual([]);
    expect(JSON.stringify(login.requestBody)).toContain('"username"');
    const submit = op('/api/commands', 'post');
    expect(JSON.stringify(submit.requestBody)).toContain('"deploy"');
    expect(submit.responses['403']).toBeDefined();
    expect(op('/api/metrics/history', 'get').parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['metric', 'source', 'duration', 'maxPoints']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ErrorBody', 'StreamMessage', 'SnapshotMessage', 'MetricsMessage', 'ClosedMessage', 'StoredEvent']),
    );
    expect(JSON.stringify(op('/api/stream', 'get').responses['200'])).toContain('text/event-stream');
  });

  it('serves the reference at /api/docs from this origin, with no inline script, within the CSP', async () => {
    if (!server) throw new Error('no server');
    const page = await send(server.baseUrl, 'GET', '/api/docs', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes)?.[1];
      expect(src).toMatch(/^\/api\/docs\//);
      const file = await send(server.baseUrl, 'GET', src ?? '');
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toMatch(/javascript/);
    }
    expect((await send(server.baseUrl, 'GET', '/api/docs/vigil-init.js')).text).toContain("url: '/api/openapi.json'");
    expect((await send(server.baseUrl, 'GET', '/api/docs/package.json')).status).toBe(404);
  });
});
