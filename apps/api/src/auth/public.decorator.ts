import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'vigil:public';

/** A route that needs no session (health, login, the ones with their own token). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
