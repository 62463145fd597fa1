/**
 * Stream filters, shared by the SSE hub (live and catch-up), replay and the web
 * app, so that all three agree on what "types=alert.*" means.
 */
export interface StreamFilter {
  /** Only events whose meta.environment is this one (events without one pass). */
  environment?: string;
  /** Event type patterns: exact names or prefix globs such as `alert.*`. */
  types?: string[];
}

const TYPE_PATTERN = /^(\*|[a-z-]+(\.[a-z-]+)?|[a-z-]+\.\*)$/;

export function isValidTypePattern(pattern: string): boolean {
  return TYPE_PATTERN.test(pattern);
}

/** Parses `types=command.*,alert.raised`; returns the bad patterns, if any. */
export function parseTypePatterns(raw: string): { patterns: string[]; invalid: string[] } {
  const patterns = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return { patterns, invalid: patterns.filter((pattern) => !isValidTypePattern(pattern)) };
}

export function typeMatches(type: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  for (const pattern of patterns) {
    if (pattern === '*' || pattern === type) return true;
    if (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))) return true;
  }
  return false;
}

export function environmentMatches(eventEnvironment: string | undefined, wanted: string | undefined): boolean {
  return wanted === undefined || eventEnvironment === undefined || eventEnvironment === wanted;
}

export function matchesFilter(event: { type: string; meta: { environment?: string } }, filter: StreamFilter): boolean {
  return environmentMatches(event.meta.environment, filter.environment) && typeMatches(event.type, filter.types);
}

/** A stable key for a filter, so clients with equal filters can share one match decision. */
export function filterKey(filter: StreamFilter): string {
  return `${filter.environment ?? '*'}|${[...(filter.types ?? [])].sort().join(',')}`;
}
