import { SetMetadata } from '@nestjs/common';
import type { Capability } from '@vigil/shared';

export const REQUIRED_CAPABILITY = 'vigil:capability';

/** The session's role must grant this capability (checked by the global AuthGuard: 403 otherwise). */
export const RequireCapability = (capability: Capability): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_CAPABILITY, capability);
