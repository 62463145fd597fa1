/**
 * Cursor paging kept as the cursors that led to each page seen so far: the API
 * only goes forward (`nextCursor`), so "Previous" is a step back along this trail.
 * `null` is the first page. Immutable: every step returns a new trail.
 */
export type CursorTrail = readonly (string | null)[];

export const FIRST_PAGE: CursorTrail = [null];

export function currentCursor(trail: CursorTrail): string | null {
  return trail[trail.length - 1] ?? null;
}

/** 1-based number of the page the trail ends on. */
export function pageNumber(trail: CursorTrail): number {
  return Math.max(1, trail.length);
}

export function nextPage(trail: CursorTrail, nextCursor: string | null): CursorTrail {
  return nextCursor === null ? trail : [...trail, nextCursor];
}

export function previousPage(trail: CursorTrail): CursorTrail {
  return trail.length > 1 ? trail.slice(0, -1) : FIRST_PAGE;
}
