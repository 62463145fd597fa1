// A realistic mix of Vigil events for the replay benchmarks: commands with their
// whole lifecycle (accepted, started, output batches, progress for deploys,
// completed or failed), service starts/exits/deploys, and alerts raised and
// resolved, over two environments and three services, with actors.

const ENVIRONMENTS = ['production', 'staging'];
const SERVICES = ['web-server', 'api-server', 'worker'];
const TYPES = ['restart', 'logs', 'ping', 'deploy', 'scale', 'stop', 'start'];
const ACTOR = { id: 'u-1', username: 'admin', roles: ['admin'] };

/**
 * Yields batches `{ stream, events: [{type, data}], meta }`: one command's events,
 * or one service or alert event. About 6 events per command on average.
 */
export function* realisticAppends(seed = 1) {
  let n = 0;
  let random = seed;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random / 2147483648;
  };
  const firing = [];
  for (;;) {
    n += 1;
    const environment = ENVIRONMENTS[n % 2];
    const service = SERVICES[n % 3];
    const meta = { actor: ACTOR, ip: '127.0.0.1', environment, correlationId: `corr-${n}` };
    if (n % 40 === 0) {
      const kind = ['service.started', 'service.exited', 'service.deployed'][n % 3];
      yield {
        stream: `service-${service}@${environment}`,
        events: [
          {
            type: kind,
            data: {
              service,
              environment,
              instance: n % 2,
              pid: 1000 + n,
              port: 4100 + (n % 4),
              code: 1,
              version: `v${n}`,
              reason: 'policy',
            },
          },
        ],
        meta: { environment, correlationId: `svc-${n}` },
      };
      continue;
    }
    if (n % 150 === 0) {
      const alertId = `alert-${n}`;
      firing.push(alertId);
      yield {
        stream: `alert-${alertId}`,
        events: [
          {
            type: 'alert.raised',
            data: {
              alertId,
              rule: {
                name: 'host-cpu-high',
                kind: 'threshold',
                severity: 'warning',
                labels: {},
                message: 'cpu',
                metric: 'cpu_percent',
                source: 'host',
                environment: '*',
                comparator: '>',
                threshold: 90,
                forSeconds: 60,
              },
              source: 'host',
              environment,
              metric: 'cpu_percent',
              value: 95.5,
              threshold: 90,
              severity: 'warning',
              labels: { team: 'ops' },
              message: 'CPU at 95.5 %',
              startedAt: new Date(0).toISOString(),
            },
          },
        ],
        meta: { environment, correlationId: `alert-${n}` },
      };
      continue;
    }
    if (n % 150 === 75 && firing.length > 0) {
      const alertId = firing.shift();
      yield {
        stream: `alert-${alertId}`,
        events: [{ type: 'alert.resolved', data: { alertId, rule: 'host-cpu-high', value: 70, resolvedAt: new Date(0).toISOString() } }],
        meta: { environment, correlationId: `resolve-${n}` },
      };
      continue;
    }
    const commandId = `cmd-${seed}-${n}`;
    const type = TYPES[Math.floor(next() * TYPES.length)];
    const events = [
      {
        type: 'command.accepted',
        data: {
          commandId,
          type,
          target: service,
          environment,
          params: type === 'scale' ? { instances: 2 } : {},
          requestHash: 'a'.repeat(64),
        },
      },
      { type: 'command.started', data: { commandId } },
    ];
    const outputBatches = 1 + Math.floor(next() * 2);
    for (let b = 0; b < outputBatches; b++) {
      const lines = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, i) => ({
        stream: 'stdout',
        text: `${service} ${type}: step ${b}.${i} ok`,
        time: new Date(0).toISOString(),
      }));
      events.push({ type: 'command.output', data: { commandId, seq: b * 10, lines } });
    }
    if (type === 'deploy') events.push({ type: 'command.progress', data: { commandId, percent: 60, step: 'rolling restart' } });
    events.push(
      next() < 0.9
        ? { type: 'command.completed', data: { commandId, durationMs: Math.floor(next() * 2000), exitCode: 0 } }
        : { type: 'command.failed', data: { commandId, durationMs: 1200, reason: 'exited with code 1', exitCode: 1 } },
    );
    yield { stream: `command-${commandId}`, events, meta };
  }
}

/**
 * `count` stored events (positions from 1, times `stepMs` apart from `startMs`)
 * without a log, for pure folds, in arrays of `chunk` so memory stays bounded.
 */
export function* realisticStoredEventChunks(
  count,
  { chunk = 100_000, startMs = Date.parse('2026-11-01T00:00:00.000Z'), stepMs = 10 } = {},
) {
  const versions = new Map();
  let events = [];
  let position = 0;
  for (const append of realisticAppends()) {
    for (const event of append.events) {
      if (position >= count) break;
      position += 1;
      const version = (versions.get(append.stream) ?? 0) + 1;
      versions.set(append.stream, version);
      events.push({
        position,
        stream: append.stream,
        version,
        type: event.type,
        data: event.data,
        meta: append.meta,
        time: new Date(startMs + position * stepMs).toISOString(),
        hash: 'x',
      });
      if (events.length === chunk) {
        yield events;
        events = [];
      }
    }
    if (position >= count) break;
  }
  if (events.length > 0) yield events;
}
