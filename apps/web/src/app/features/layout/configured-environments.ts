/** Environment names in the order GET /api/services lists them (configuration order), without repeats. */
export function environmentsOf(services: readonly { environment: string }[]): string[] {
  return [...new Set(services.map((service) => service.environment))];
}
