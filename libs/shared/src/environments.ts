/** One environment as GET /api/environments lists it. */
export interface EnvironmentSummary {
  name: string;
  /** The config's display label, if it gives one. */
  label?: string;
}

/**
 * GET /api/environments: the configured environments the caller may view, in
 * configuration order, services or not (a review server: those the bundle shows).
 */
export interface EnvironmentsResponse {
  environments: EnvironmentSummary[];
}
