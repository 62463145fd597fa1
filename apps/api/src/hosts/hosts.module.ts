import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { AgentStreamController } from './agent-stream.controller';
import { AgentController } from './agent.controller';
import { HostPresence } from './host-presence';
import { HostsController } from './hosts.controller';
import { HostsRegistry } from './hosts-registry';

/** Agents on other hosts: enrolment, presence, and the agent protocol (SSE down, POSTs up). */
@Module({
  imports: [MetricsModule],
  controllers: [HostsController, AgentController, AgentStreamController],
  providers: [HostsRegistry, HostPresence],
  exports: [HostsRegistry, HostPresence],
})
export class HostsModule {}
