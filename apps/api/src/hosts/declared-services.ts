import { ConflictException, BadRequestException } from '@nestjs/common';
import type { FieldError } from '@vigil/shared';
import type { z } from 'zod';
import type { agentHelloSchema } from '@vigil/shared';
import { fieldErrors } from '../common/validation';
import { serviceConfigSchema, type ServiceConfig, type VigilConfig } from '../config/vigil-config.schema';
import type { HostsRegistry } from './hosts-registry';

export interface DeclaredService {
  environment: string;
  config: ServiceConfig;
}

/**
 * Checks what an agent's hello declares: each definition against the very schema of
 * vigil.config.yaml's services (a forged or malformed one is refused with the field
 * that is wrong), each environment known to the server, and each name free in its
 * environment across the fleet: not a service of the server's own config, not one
 * another host declared. Refusals are 400 / 409 with the reason, and nothing is kept.
 */
export function checkDeclaredServices(
  host: string,
  hello: z.infer<typeof agentHelloSchema>,
  config: VigilConfig,
  hosts: HostsRegistry,
): DeclaredService[] {
  const problems: FieldError[] = [];
  const declared: DeclaredService[] = [];
  hello.environments.forEach((environment, e) => {
    const known = config.environments.find((env) => env.name === environment.name);
    if (!known) {
      problems.push({ path: `body.environments.${e}.name`, message: `the server has no environment "${environment.name}"` });
      return;
    }
    const names = new Set<string>();
    environment.services.forEach((raw, s) => {
      const parsed = serviceConfigSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(...fieldErrors(parsed.error, `body.environments.${e}.services.${s}`));
        return;
      }
      if (names.has(parsed.data.name)) {
        problems.push({ path: `body.environments.${e}.services.${s}.name`, message: `"${parsed.data.name}" is declared twice` });
        return;
      }
      names.add(parsed.data.name);
      declared.push({ environment: environment.name, config: parsed.data });
    });
  });
  if (problems.length > 0) throw new BadRequestException({ message: 'invalid service definitions', details: problems });

  for (const { environment, config: service } of declared) {
    const local = config.environments.find((env) => env.name === environment)?.services.some((s) => s.name === service.name);
    if (local) {
      throw new ConflictException({
        message: `service "${service.name}" in ${environment} is already one of the server's own services: rename it in the agent's config`,
      });
    }
    const owner = hosts.hostOfService(environment, service.name);
    if (owner !== undefined && owner !== host) {
      throw new ConflictException({
        message: `service "${service.name}" in ${environment} is already declared by host "${owner}": service names are unique per environment across the fleet`,
      });
    }
  }
  return declared;
}
