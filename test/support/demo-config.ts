/**
 * Test configs with real demo services, built as objects and written as JSON (which
 * is YAML too), so each test states only what differs.
 */
export interface DemoServiceOptions {
  /** Which demo program: demo/<script>.mjs. */
  script: 'web-server' | 'api-server' | 'worker' | 'traffic';
  name?: string;
  /** Instance i listens on from + i. Use ports below 32768 (outside the ephemeral range). */
  ports?: { from: number; to: number };
  instances?: number;
  maxInstances?: number;
  /** Scrape the instances' /metrics every second. */
  metrics?: boolean;
  /** Give the service the demo deploy step. */
  deploy?: boolean;
  policy?: 'always' | 'on-failure' | 'never';
  env?: Record<string, string>;
}

export function demoService(options: DemoServiceOptions): Record<string, unknown> {
  const service: Record<string, unknown> = {
    name: options.name ?? options.script,
    command: 'node',
    args: [`demo/${options.script}.mjs`],
    instances: options.instances ?? 1,
    maxInstances: options.maxInstances ?? (options.ports ? options.ports.to - options.ports.from + 1 : 1),
    restart: { policy: options.policy ?? 'always', initialBackoffMs: 100 },
    stopGraceSeconds: 2,
  };
  if (options.ports) {
    service.ports = options.ports;
    service.healthUrl = 'http://127.0.0.1:{port}/health';
  }
  if (options.metrics) {
    service.metricsUrl = 'http://127.0.0.1:{port}/metrics';
    service.metricsIntervalSeconds = 1;
  }
  if (options.deploy) service.deploy = { command: 'node', args: ['demo/deploy.mjs'] };
  if (options.env) service.env = options.env;
  return service;
}

/** vigil.config.yaml text: environments with their services, plus any other keys. */
export function configWith(environments: Record<string, Record<string, unknown>[]>, rest: Record<string, unknown> = {}): string {
  return JSON.stringify({
    environments: Object.entries(environments).map(([name, services]) => ({ name, services })),
    ...rest,
  });
}

/** The demo web-server's request rate as scraped (prom-client's counter has a `code` label, so the series carries it). */
export const DEMO_REQUEST_RATE = 'demo_requests_total_per_s{code="200"}';

/**
 * A demo web-server whose metrics are scraped, and the traffic generator loading it
 * (`peakRps` requests a second at its peak): real load for threshold rules.
 */
export function demoLoad(
  ports: { from: number; to: number },
  options: { peakRps?: number; deploy?: boolean } = {},
): Record<string, unknown>[] {
  return [
    demoService({ script: 'web-server', ports, metrics: true, deploy: options.deploy }),
    demoService({
      script: 'traffic',
      env: { TRAFFIC_TARGETS: `http://127.0.0.1:${ports.from}`, TRAFFIC_PEAK_RPS: String(options.peakRps ?? 20) },
    }),
  ];
}

/** An alert rule that fires once the demo web-server serves more than `threshold` requests a second. */
export function demoLoadRule(name: string, options: { threshold?: number; forSeconds?: number } = {}): Record<string, unknown> {
  return {
    name,
    kind: 'threshold',
    source: 'web-server',
    environment: 'staging',
    metric: DEMO_REQUEST_RATE,
    comparator: '>',
    threshold: options.threshold ?? 1,
    forSeconds: options.forSeconds ?? 2,
    severity: 'warning',
  };
}
