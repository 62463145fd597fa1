import { Logger } from '@nestjs/common';
import type { EventMeta } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { cmdlineMatches, type ChildrenFile } from './children-file';
import { serviceKey, type ManagedService } from './managed-service';
import { isAlive } from './proc';
import { terminateForeign } from './process-group';
import type { ServiceJournal } from './service-journal';

/**
 * Kills what an earlier Vigil left running (it was killed itself), before
 * anything starts, and closes in the log the instances whose exit it never saw.
 */
export async function cleanupLeftovers(
  children: ChildrenFile,
  services: ReadonlyMap<string, ManagedService>,
  journal: ServiceJournal,
): Promise<void> {
  const logger = new Logger('Supervisor');
  const records = children.read();
  const meta: EventMeta = { correlationId: randomUUID() };
  await Promise.all(
    records.map(async (record) => {
      const svc = services.get(serviceKey(record.environment, record.service));
      const alive = record.pid !== process.pid && isAlive(record.pid) && cmdlineMatches(record.pid, record.command, record.args);
      if (alive) {
        const graceSeconds = svc?.config.stopGraceSeconds ?? 5;
        logger.warn(`stopping leftover ${record.service}@${record.environment} #${record.instance} (pid ${record.pid})`);
        if (!(await terminateForeign(record.pid, graceSeconds * 1000))) logger.error(`leftover pid ${record.pid} did not exit`);
      }
      // The log still says this instance runs (its exit was never seen): close that record.
      if (svc && record.instance >= 0) {
        await journal.append(
          svc,
          'service.exited',
          {
            instance: record.instance,
            pid: record.pid,
            code: null,
            signal: alive ? 'SIGTERM' : null,
            expected: true,
            reason: 'left over from a previous run of Vigil',
          },
          { ...meta, environment: record.environment },
        );
      }
    }),
  );
  children.write();
}
