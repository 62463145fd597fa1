import { z } from 'zod';
import { vigilConfigSchema } from './vigil-config.schema';

/** Where the published schema lives in the repository (referenced from vigil.config.yaml). */
export const CONFIG_SCHEMA_FILE = 'vigil.config.schema.json';

/**
 * The JSON Schema of vigil.config.yaml as a user writes it (zod's input side: every
 * key with a default is optional), for editors (yaml-language-server) and checks.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(vigilConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...schema, $id: 'https://vigil.invalid/vigil.config.schema.json', title: 'Vigil configuration (vigil.config.yaml)' };
}
