import { BadRequestException } from '@nestjs/common';
import type { FieldError } from '@vigil/shared';
import type { z } from 'zod';

/** Turns zod issues into the API's field-level error details. */
export function fieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.'),
    message: issue.message,
  }));
}

/** Parses `value` or throws a 400 whose details name each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new BadRequestException({ message: `invalid ${what}`, details: fieldErrors(result.error, what) });
}
