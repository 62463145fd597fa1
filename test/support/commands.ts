import { eventually, getJson, postJson } from './http';

export interface CommandViewBody {
  commandId: string;
  state: string;
  reason?: string;
  result?: Record<string, unknown>;
  output: { seq: number; text: string; stream: string }[];
  progress?: { percent: number; step: string };
}

const TERMINAL = ['completed', 'failed', 'cancelled', 'interrupted', 'denied'];

/** POSTs a command and answers its 202 body; throws on any other status. */
export async function submit(
  baseUrl: string,
  body: { type: string; target: string; environment: string; params?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<{ commandId: string; position: number }> {
  const response = await postJson<{ commandId: string; position: number }>(baseUrl, '/api/commands', { params: {}, ...body }, headers);
  if (response.status !== 202) throw new Error(`${body.type} answered ${response.status}: ${response.text}`);
  return response.body;
}

export async function commandView(baseUrl: string, commandId: string): Promise<CommandViewBody> {
  return (await getJson<CommandViewBody>(baseUrl, `/api/commands/${commandId}`)).body;
}

/** Waits for a command to reach a terminal state and answers its view. */
export function finished(baseUrl: string, commandId: string, timeoutMs = 30_000): Promise<CommandViewBody> {
  return eventually(
    `command ${commandId} to finish`,
    async () => {
      const view = await commandView(baseUrl, commandId);
      return TERMINAL.includes(view.state) ? view : undefined;
    },
    timeoutMs,
  );
}

/** Submits and waits; fails unless the command completed. */
export async function run(
  baseUrl: string,
  body: { type: string; target: string; environment: string; params?: Record<string, unknown> },
  timeoutMs = 30_000,
): Promise<CommandViewBody> {
  const { commandId } = await submit(baseUrl, body);
  const view = await finished(baseUrl, commandId, timeoutMs);
  if (view.state !== 'completed') throw new Error(`${body.type} ended ${view.state}: ${view.reason ?? ''}`);
  return view;
}

/** Waits until GET /api/services lists `count` services, all running. */
export function servicesRunning(baseUrl: string, count: number, timeoutMs = 30_000): Promise<true> {
  return eventually(
    `${count} service(s) to run`,
    async () => {
      const { body } = await getJson<{ status: string }[]>(baseUrl, '/api/services');
      return body.length === count && body.every((service) => service.status === 'running') ? true : undefined;
    },
    timeoutMs,
  );
}
