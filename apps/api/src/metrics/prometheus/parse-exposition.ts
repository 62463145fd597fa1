/**
 * A parser for the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0:
 * `# TYPE` lines (both formats' types), samples with labels, quoted UTF-8 metric
 * names (`{"my.metric", a="1"} 3` and `"my.metric"{a="1"} 3`), escaped label
 * values, integer or float timestamps, and exemplars (`# {trace_id="x"} 1.0`,
 * read past). A line that cannot be read is skipped, never a whole scrape.
 */
export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'gaugehistogram' | 'stateset' | 'info';

export interface PromSample {
  /** Metric family name (for `_bucket`/`_sum`/`_count`/`_total`/`_created`, the family's name). */
  family: string;
  name: string;
  labels: Record<string, string>;
  value: number;
  type: PromType;
}

const TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
  'unknown',
  'gaugehistogram',
  'stateset',
  'info',
]);
const BARE_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  // Number('') is 0 and Number('0x1f') is 31: neither is a sample value.
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

/** Reads a double-quoted string at `at` (escapes `\\`, `\"`, `\n`); the text and the index after it. */
function quoted(line: string, at: number): { text: string; next: number } | undefined {
  if (line[at] !== '"') return undefined;
  let text = '';
  for (let i = at + 1; i < line.length; i++) {
    const char = line[i];
    if (char === '\\') {
      const escaped = line[i + 1];
      text += escaped === 'n' ? '\n' : escaped;
      i++;
    } else if (char === '"') {
      return { text, next: i + 1 };
    } else {
      text += char;
    }
  }
  return undefined;
}

function skipSpaces(line: string, at: number): number {
  let i = at;
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

/** `{a="1", "utf8.label"="2"}` from `at` (at the `{`); a bare quoted string first is the metric name. */
function labelSet(line: string, at: number): { labels: Record<string, string>; name?: string; next: number } | undefined {
  const labels: Record<string, string> = {};
  let name: string | undefined;
  let i = skipSpaces(line, at + 1);
  while (line[i] !== '}') {
    let key: string;
    const quotedKey = quoted(line, i);
    if (quotedKey) {
      key = quotedKey.text;
      i = skipSpaces(line, quotedKey.next);
      if (line[i] !== '=') {
        // `{"metric.name", ...}`: the name, not a label.
        if (name !== undefined || Object.keys(labels).length > 0) return undefined;
        name = key;
        if (line[i] === ',') i = skipSpaces(line, i + 1);
        continue;
      }
    } else {
      const bare = LABEL_NAME.exec(line.slice(i));
      if (!bare) return undefined;
      key = bare[0];
      i = skipSpaces(line, i + key.length);
    }
    if (line[i] !== '=') return undefined;
    const value = quoted(line, skipSpaces(line, i + 1));
    if (!value) return undefined;
    labels[key] = value.text;
    i = skipSpaces(line, value.next);
    if (line[i] === ',') i = skipSpaces(line, i + 1);
    else if (line[i] !== '}') return undefined;
  }
  return { labels, name, next: i + 1 };
}

/** One sample line: name, labels and value; the timestamp and any exemplar after them are read past. */
function sampleLine(line: string): { name: string; labels: Record<string, string>; value: number } | undefined {
  let name: string | undefined;
  let i = 0;
  const quotedName = quoted(line, 0);
  if (quotedName) {
    name = quotedName.text;
    i = quotedName.next;
  } else if (!line.startsWith('{')) {
    const bare = BARE_NAME.exec(line);
    if (!bare) return undefined;
    name = bare[0];
    i = name.length;
  }
  let labels: Record<string, string> = {};
  if (line[i] === '{') {
    const set = labelSet(line, i);
    if (!set) return undefined;
    if (set.name !== undefined) {
      if (name !== undefined) return undefined;
      name = set.name;
    }
    labels = set.labels;
    i = set.next;
  }
  if (name === undefined || name === '') return undefined;
  const rest = line.slice(i);
  // Exemplars follow " # "; the value (and a timestamp) come before it.
  const exemplarAt = rest.indexOf(' # ');
  const fields = (exemplarAt >= 0 ? rest.slice(0, exemplarAt) : rest).trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || rest.length === 0 || !/^\s/.test(rest)) return undefined;
  const value = parseValue(fields[0]);
  if (fields.length === 2 && Number.isNaN(Number(fields[1]))) return undefined;
  return { name, labels, value };
}

const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_gsum', '_gcount', '_info'];

function familyOf(name: string, types: Map<string, PromType>): string {
  if (types.has(name)) return name;
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && types.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return name;
}

/** `# TYPE name type`, the name bare or quoted. */
function typeLine(line: string): { name: string; type: PromType } | undefined {
  const head = /^#\s*TYPE\s+/.exec(line);
  if (!head) return undefined;
  const at = head[0].length;
  const name =
    line[at] === '"'
      ? quoted(line, at)
      : (() => {
          const bare = /^\S+/.exec(line.slice(at));
          return bare ? { text: bare[0], next: at + bare[0].length } : undefined;
        })();
  if (!name) return undefined;
  const type = line.slice(name.next).trim();
  if (!TYPES.has(type)) return undefined;
  return { name: name.text, type: type === 'unknown' ? 'untyped' : (type as PromType) };
}

export function parseExposition(text: string): PromSample[] {
  const types = new Map<string, PromType>();
  const samples: PromSample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const declared = typeLine(line);
      if (declared) types.set(declared.name, declared.type);
      continue;
    }
    const sample = sampleLine(line);
    if (!sample || Number.isNaN(sample.value)) continue;
    const family = familyOf(sample.name, types);
    samples.push({ family, name: sample.name, labels: sample.labels, value: sample.value, type: types.get(family) ?? 'untyped' });
  }
  return samples;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * `name{a="1",b="2"}` with labels sorted and values escaped as in the exposition
 * format (so `"` or `}` in a value cannot end it early), or just `name`. A name
 * outside the classic character set is quoted: one series' stable, unambiguous id.
 */
export function seriesName(name: string, labels: Record<string, string>): string {
  const head = /^[a-zA-Z_:][a-zA-Z0-9_:.]*$/.test(name) ? name : `"${escapeLabelValue(name)}"`;
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return head;
  const pairs = keys.map(
    (key) =>
      `${LABEL_NAME.test(key) && LABEL_NAME.exec(key)?.[0] === key ? key : `"${escapeLabelValue(key)}"`}="${escapeLabelValue(labels[key])}"`,
  );
  return `${head}{${pairs.join(',')}}`;
}
