import { passwordSchema } from '@vigil/shared';

/** The form's own checks, with the shared schema's message, before anything is sent. */
export function passwordChangeProblem(current: string, next: string, repeated: string): string | null {
  if (current === '') return 'Enter your current password.';
  const parsed = passwordSchema.safeParse(next);
  if (!parsed.success) return `New password: ${parsed.error.issues[0]?.message ?? 'not valid'}`;
  if (next !== repeated) return 'The two new passwords differ.';
  if (next === current) return 'The new password is the current one.';
  return null;
}
