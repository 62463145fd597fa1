import type { z } from 'zod';
import { fieldErrors } from '../common/validation';

/** Parses a review request's query with the live API's schema: the data, or the 400's field details. */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  query: URLSearchParams,
): { data: z.infer<S> } | { details: ReturnType<typeof fieldErrors> } {
  const result = schema.safeParse(Object.fromEntries(query));
  return result.success ? { data: result.data } : { details: fieldErrors(result.error, 'query') };
}
