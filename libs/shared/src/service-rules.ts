/**
 * The limits the service command schemas enforce, without zod, so the web app can
 * check its forms by the same rules without pulling a schema library into its bundle.
 */

/** What a deploy's `version` may look like (it reaches the deploy step as an environment variable). */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
/** The longest `version` a deploy accepts. */
export const MAX_VERSION_LENGTH = 64;
/** What a version breaking VERSION_PATTERN is told. */
export const VERSION_PATTERN_MESSAGE = 'letters, digits, ".", "_", "+" and "-" only';

/** The bounds of a scale's `instances`. */
export const MIN_INSTANCES = 0;
export const MAX_INSTANCES = 64;
