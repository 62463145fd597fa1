import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntry } from '@vigil/shared';
import { writeExport, type ExportOutcome } from './audit-export';

function entry(position: number): AuditEntry {
  return {
    commandId: `c-${position}`,
    acceptedPosition: position,
    acceptedAt: '2026-01-01T00:00:00.000Z',
    actor: 'alice',
    actorId: 'alice',
    ip: '127.0.0.1',
    type: 'ping',
    target: 'vigil',
    environment: 'staging',
    params: { pad: 'x'.repeat(200) },
    outcome: 'completed',
    reason: null,
    exitCode: 0,
    durationMs: 1,
    finishedAt: '2026-01-01T00:00:00.001Z',
    lastPosition: position + 3,
  };
}

describe('audit export streaming (writeExport)', () => {
  let server: Server;
  let pulled: number;
  let finished: Promise<ExportOutcome>;
  const PAGES = 2_000;

  // eslint-disable-next-line @typescript-eslint/require-await -- the store's pages are async
  async function* pages(): AsyncGenerator<AuditEntry[]> {
    for (let page = 0; page < PAGES; page++) {
      pulled += 1;
      yield Array.from({ length: 100 }, (_, i) => entry(PAGES * 100 - page * 100 - i));
    }
  }

  beforeEach(async () => {
    pulled = 0;
    let settle!: (outcome: ExportOutcome) => void;
    finished = new Promise((resolve) => (settle = resolve));
    server = createServer((request, response) => {
      if (request.url === '/other') {
        response.end('other');
        return;
      }
      void writeExport(response, pages(), 'ndjson').then(settle);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends every page to a reader that keeps up, without starving other requests meanwhile', async () => {
    const { port } = server.address() as AddressInfo;
    let lines = 0;
    const order: string[] = [];
    let other: Promise<void> | undefined;
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/' }, (response) => {
        expect(response.headers['content-disposition']).toMatch(/^attachment; filename="vigil-audit-.*\.ndjson"$/);
        response.on('data', (chunk: Buffer) => {
          for (const byte of chunk) if (byte === 10) lines += 1;
          // Another request is answered while the export runs. (In-process this reader is not fast enough to
          // reproduce the synchronous-drain starvation; bench/audit-export.mjs's /api/health latency is the sharper check.)
          other ??= new Promise<void>((done) => {
            get({ host: '127.0.0.1', port, path: '/other', agent: false }, (res) => {
              res.resume();
              res.on('end', () => {
                order.push('other');
                done();
              });
            });
          });
        });
        response.on('end', () => {
          order.push('export');
          resolve();
        });
      }).on('error', reject);
    });
    await other;
    expect(order).toEqual(['other', 'export']);
    expect(lines).toBe(PAGES * 100);
    expect(await finished).toMatchObject({ rows: PAGES * 100, aborted: false });
  });

  it('waits for a slow reader instead of reading ahead, and stops when it disconnects', async () => {
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      get({ host: '127.0.0.1', port, path: '/' }, (response) => {
        response.pause(); // read nothing: the server must stop at the socket's buffer limit
        setTimeout(() => {
          response.destroy();
          resolve();
        }, 300);
      });
    });
    const outcome = await finished;
    expect(outcome.aborted).toBe(true);
    // A few pages fill the socket buffers; nowhere near all 2,000 are read.
    expect(pulled).toBeLessThan(PAGES / 4);
  });
});
