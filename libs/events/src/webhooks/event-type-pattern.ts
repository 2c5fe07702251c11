/**
 * What a subscription asks for: an exact versioned type (`billing.invoice.finalized.v1`), every
 * type under a prefix (`billing.invoice.*`), or everything (`*`).
 */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$/;
export const EVENT_TYPE_PATTERN_MESSAGE =
  'each event type must be a versioned type such as billing.invoice.finalized.v1, a prefix wildcard such as billing.invoice.*, or *';

export function matchesEventType(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function matchesAny(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => matchesEventType(p, type));
}

/** The patterns that match none of the types an app emits (a typo, or another app's events). */
export function unknownPatterns(patterns: readonly string[], known: readonly string[]): string[] {
  return patterns.filter((p) => !known.some((type) => matchesEventType(p, type)));
}

/** The exact types and the prefixes of the wildcards, for matching in SQL. */
export function splitPatterns(patterns: readonly string[]): {
  all: boolean;
  exact: string[];
  prefixes: string[];
} {
  return {
    all: patterns.includes('*'),
    exact: patterns.filter((p) => !p.endsWith('*')),
    prefixes: patterns.filter((p) => p.endsWith('.*')).map((p) => p.slice(0, -1)),
  };
}
