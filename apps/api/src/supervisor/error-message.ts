/** The message of a thrown value, for log lines (anything may be thrown). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
