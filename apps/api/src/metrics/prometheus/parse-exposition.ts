/**
 * A parser for the Prometheus text exposition format (version 0.0.4): enough for
 * what exporters and prom-client serve — `# TYPE` lines, samples with labels,
 * optional timestamps, escaped label values. Unknown lines are skipped.
 */
export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  /** Metric family name (for `_bucket`/`_sum`/`_count`, the family's name). */
  family: string;
  name: string;
  labels: Record<string, string>;
  value: number;
  type: PromType;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function unescapeLabel(value: string): string {
  return value.replace(/\\(["\\n])/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = LABEL.exec(text)) !== null) {
    labels[match[1]] = unescapeLabel(match[2]);
    consumed = LABEL.lastIndex;
  }
  return text.slice(consumed).trim() === '' ? labels : undefined;
}

function familyOf(name: string, types: Map<string, PromType>): string {
  if (types.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (name.endsWith(suffix) && types.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return name;
}

export function parseExposition(text: string): PromSample[] {
  const types = new Map<string, PromType>();
  const samples: PromSample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const typeLine = /^#\s*TYPE\s+(\S+)\s+(counter|gauge|histogram|summary|untyped)\s*$/.exec(line);
      if (typeLine) types.set(typeLine[1], typeLine[2] as PromType);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) continue;
    // The label group is optional: undefined when the sample has no braces.
    const labelText = match.at(3);
    const labels = labelText === undefined ? {} : parseLabels(labelText);
    const value = parseValue(match[4]);
    if (!labels || Number.isNaN(value)) continue;
    const family = familyOf(match[1], types);
    samples.push({ family, name: match[1], labels, value, type: types.get(family) ?? 'untyped' });
  }
  return samples;
}

/** `name{a="1",b="2"}` with labels sorted, or just `name`: one series' stable id. */
export function seriesName(name: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((key) => `${key}="${labels[key]}"`).join(',')}}`;
}
