import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { DashboardProjection } from '../dashboard/dashboard.projection';
import { EnvironmentsController } from './environments.controller';
import { ServicesController } from './services.controller';
import { DashboardServices, ServicesReadModel } from './services-read-model';

@Module({
  imports: [DashboardModule],
  controllers: [ServicesController, EnvironmentsController],
  providers: [
    {
      provide: ServicesReadModel,
      inject: [DashboardProjection],
      useFactory: (dashboard: DashboardProjection): ServicesReadModel => new DashboardServices(dashboard),
    },
  ],
})
export class ServicesModule {}
