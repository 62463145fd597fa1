// Alert evaluation cost: 1,000 threshold/absent rules against 100 sources, each sending
// one sample (~10 values) per simulated second, for 60 simulated seconds, in-process on
// the compiled AlertEvaluator (dist/api/alerts/alert-evaluator.js). Runs as fast as
// possible; CPU time (process.cpuUsage) per simulated second = % of one core at 1 Hz.
// Baseline in the same run: the same loop with a no-op evaluation (iterating the
// samples and their values only).
// Usage: node bench/alert-evaluation.mjs [--seconds 60] [--sources 100] [--rules 1000]
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { log, printResult } from './lib/result.mjs';
import { percentile, round } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
const evaluatorPath = fileURLToPath(new URL('../dist/api/alerts/alert-evaluator.js', import.meta.url));
if (!existsSync(evaluatorPath)) {
  process.stderr.write('dist/api is missing: run `npm run build:shared && npm run build:api` first\n');
  process.exit(2);
}
const { AlertEvaluator } = require(evaluatorPath);

const { seconds: SECONDS, sources: SOURCES, rules: RULES } = numberArgs({ seconds: 60, sources: 100, rules: 1000 });
const ABSENT_RULES = 10;
const TARGET_PCT = 10;

// 100 sources: 4 families (web-*, api-*, worker-*, db-*) × 2 environments.
const FAMILIES = ['web', 'api', 'worker', 'db'];
const ENVIRONMENTS = ['production', 'staging'];
const METRICS = [
  'cpu_percent',
  'memory_percent',
  'rss_mb',
  'heap_used_mb',
  'event_loop_lag_ms',
  'requests_per_s',
  'errors_per_s',
  'latency_p99_ms',
  'queue_depth',
  'open_connections',
];
const sources = Array.from({ length: SOURCES }, (_, i) => ({
  source: `${FAMILIES[i % FAMILIES.length]}-${String(Math.floor(i / FAMILIES.length)).padStart(2, '0')}`,
  environment: ENVIRONMENTS[i % 2 === 0 ? 0 : 1],
  phase: i * 0.37,
}));

// Deterministic pseudo-random numbers (xorshift32).
let seed = 0x9e3779b9;
const rand = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 0x1_0000_0000;
};

// Rule source globs: exact sources, family prefixes (web-*, web-0*) and '*'; environments
// exact or '*'. Thresholds around the value ranges below, so some rules fire and resolve.
const COMPARATORS = ['>', '>=', '<', '<='];
function makeRules() {
  const rules = [];
  for (let i = 0; i < RULES - ABSENT_RULES; i++) {
    const r = rand();
    const family = FAMILIES[i % FAMILIES.length];
    const source =
      r < 0.5
        ? sources[Math.floor(rand() * SOURCES)].source // exact: matches 1 source
        : r < 0.8
          ? `${family}-0*` // ~10 sources
          : r < 0.97
            ? `${family}-*` // 25 sources
            : '*'; // all
    const environment = rand() < 0.6 ? ENVIRONMENTS[i % 2] : '*';
    const comparator = COMPARATORS[i % 4];
    const above = comparator === '>' || comparator === '>=';
    // values wander 10..90; '>' rules at 80..99, '<' rules at 1..20 (only peaks cross)
    const threshold = above ? 80 + Math.floor(rand() * 20) : 1 + Math.floor(rand() * 20);
    const rule = {
      name: `rule-${i}`,
      kind: 'threshold',
      severity: ['info', 'warning', 'error', 'critical'][i % 4],
      labels: { team: family },
      message: '{{rule}}: {{metric}} is {{value}} on {{source}} (threshold {{threshold}})',
      metric: METRICS[i % METRICS.length],
      source,
      environment,
      comparator,
      threshold,
      forSeconds: [0, 5, 10, 30][i % 4],
    };
    if (i % 3 === 0) rule.clearThreshold = above ? threshold - 10 : threshold + 10;
    if (i % 7 === 0) rule.keepFiringForSeconds = 10;
    rules.push(rule);
  }
  for (let i = 0; i < ABSENT_RULES; i++) {
    rules.push({
      name: `absent-${i}`,
      kind: 'absent',
      severity: 'warning',
      labels: {},
      message: '{{rule}}: no sample from {{source}} for {{value}} s',
      source: `${FAMILIES[i % FAMILIES.length]}-*`,
      environment: '*',
      seconds: 30,
    });
  }
  return rules;
}

// One sample per source per simulated second; values wander 10..90 (sine + noise), and
// one source in 20 goes quiet for the second half (so absent rules fire).
function makeSamples(second, t0) {
  const samples = [];
  for (let s = 0; s < sources.length; s++) {
    const src = sources[s];
    if (s % 20 === 0 && second >= SECONDS / 2) continue;
    const values = {};
    for (let m = 0; m < METRICS.length; m++) {
      const wave = 50 + 35 * Math.sin((second + src.phase * 10 + m * 3) / 8);
      values[METRICS[m]] = Math.max(0, Math.min(100, wave + (rand() - 0.5) * 10));
    }
    samples.push({ source: src.source, environment: src.environment, time: t0 + second * 1000 + s, values });
  }
  return samples;
}

function run(label, evaluate, tick) {
  // Samples are generated up front so that generation is not in either measurement.
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const perSecond = Array.from({ length: SECONDS }, (_, second) => makeSamples(second, t0));
  const sampleMs = [];
  let effects = 0;
  let raised = 0;
  let resolved = 0;
  let sampleCount = 0;
  const cpuPerSecondMs = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let second = 0; second < SECONDS; second++) {
    const before = process.cpuUsage();
    for (const sample of perSecond[second]) {
      const start = performance.now();
      const out = evaluate(sample);
      sampleMs.push(performance.now() - start);
      sampleCount += 1;
      for (const effect of out) {
        effects += 1;
        if (effect.kind === 'raise') raised += 1;
        else resolved += 1;
      }
    }
    // The clock every 5 s (alerts.checkIntervalSeconds default), for absent rules.
    if (second % 5 === 4)
      for (const effect of tick(t0 + second * 1000 + 999)) {
        effects += 1;
        if (effect.kind === 'raise') raised += 1;
        else resolved += 1;
      }
    const used = process.cpuUsage(before);
    cpuPerSecondMs.push((used.user + used.system) / 1000);
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const wallMs = performance.now() - wallStart;
  const result = {
    label,
    samples: sampleCount,
    cpuMs: round(cpuMs, 2),
    wallMs: round(wallMs, 2),
    // CPU ms per simulated second / 1000 ms = share of one core at real-time rate.
    pctOfCore: round(cpuMs / SECONDS / 10, 3),
    cpuPerSecondMsP50: round(percentile(cpuPerSecondMs, 50), 3),
    cpuPerSecondMsMax: round(Math.max(...cpuPerSecondMs), 3),
    sampleUsP50: round(percentile(sampleMs, 50) * 1000, 2),
    sampleUsP99: round(percentile(sampleMs, 99) * 1000, 2),
    effects,
    raised,
    resolved,
  };
  log(`${label}: ${JSON.stringify(result)}`);
  return result;
}

const rules = makeRules();
// How many rules each source's samples match (glob + environment), for the report.
const { environmentMatches } = require(evaluatorPath);
const { globMatches } = require('@vigil/shared');
const matchCounts = sources.map(
  (src) => rules.filter((r) => globMatches(r.source, src.source) && environmentMatches(r.environment, src.environment)).length,
);
log(
  `${rules.length} rules (${ABSENT_RULES} absent), ${SOURCES} sources × ${METRICS.length} values, ${SECONDS} simulated s; rules matched per sample: p50 ${percentile(matchCounts, 50)}, max ${Math.max(...matchCounts)}`,
);

let ids = 0;
const newId = () => `alert-${++ids}`;

// Warm-up (JIT) on a separate evaluator, then the measured runs, interleaved baseline/evaluator.
{
  const warm = new AlertEvaluator(newId);
  run(
    'warm-up',
    (s) => warm.onSample(s, rules),
    (now) => warm.onTick(now, rules),
  );
}
let sink = 0;
const noop = (sample) => {
  // The baseline: touch the sample and every value, evaluate nothing.
  for (const key in sample.values) sink += sample.values[key];
  return [];
};
const baseline = run('baseline (no-op evaluation)', noop, () => []);
const evaluator = new AlertEvaluator(newId);
const measured = run(
  'evaluator',
  (s) => evaluator.onSample(s, rules),
  (now) => evaluator.onTick(now, rules),
);
if (sink === -1) log('');

const ratio = baseline.pctOfCore > 0 ? round(measured.pctOfCore / baseline.pctOfCore, 1) : null;
printResult(
  'alert-evaluation',
  [
    {
      benchmark: `alert evaluation: ${rules.length} rules (${ABSENT_RULES} absent) × ${SOURCES} sources at 1 sample/s (${METRICS.length} values), ${SECONDS} simulated s, CPU per second of samples`,
      result: measured.pctOfCore,
      unit: '% of one core',
      display: `${measured.pctOfCore} % of one core (${measured.raised} raised, ${measured.resolved} resolved)`,
      baseline: baseline.pctOfCore,
      baselineDisplay: `${baseline.pctOfCore} % of one core (no-op loop)`,
      ratio,
      target: `< ${TARGET_PCT} % of one core`,
      met: measured.pctOfCore < TARGET_PCT,
    },
    {
      benchmark: 'alert evaluation: per-sample onSample() time p50 / p99',
      result: measured.sampleUsP99,
      unit: 'µs',
      display: `p50 ${measured.sampleUsP50} / p99 ${measured.sampleUsP99} µs`,
      baselineDisplay: `p50 ${baseline.sampleUsP50} / p99 ${baseline.sampleUsP99} µs`,
      target: null,
      met: null,
    },
  ],
  {
    rules: rules.length,
    absentRules: ABSENT_RULES,
    sources: SOURCES,
    valuesPerSample: METRICS.length,
    seconds: SECONDS,
    rulesMatchedPerSampleP50: percentile(matchCounts, 50),
    rulesMatchedPerSampleMax: Math.max(...matchCounts),
    baseline,
    evaluator: measured,
  },
);
