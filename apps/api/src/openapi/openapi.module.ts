import { Module } from '@nestjs/common';
import { OpenApiController } from './openapi.controller';

/** The API description (/api/openapi.json) and its interactive reference (/api/docs). */
@Module({ controllers: [OpenApiController] })
export class OpenApiModule {}
