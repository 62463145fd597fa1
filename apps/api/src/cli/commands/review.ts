import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { readSettings } from '../../config/settings';
import { BundleError, readBundle } from '../../incident/bundle-reader';
import { BundleReplaySource } from '../../incident/bundle-replay-source';
import { replayResources } from '../../replay/replay-writer';
import { bundleReplayRoutes } from '../../review/bundle-replay-routes';
import { createReviewServer } from '../../review/review-server';
import { CliFailure, optionValue, UsageError, type CliCommand } from '../cli-command';

function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port "${raw}" is not a port (0 to 65535)`);
  return port;
}

/**
 * Serves one incident bundle read-only in the web app's replay page, with no live
 * parts (no event store, supervisor or collectors), so an incident can be
 * reviewed on any machine with the built app. Runs until SIGINT or SIGTERM.
 */
export const reviewCommand: CliCommand = {
  words: ['review'],
  synopsis: 'FILE [--port N]',
  summary: 'serve an incident bundle read-only in the web app (VIGIL_PORT or 3000, on 127.0.0.1 unless VIGIL_HOST)',
  async run(args) {
    const portArg = optionValue(args, '--port');
    if (args.length !== 1 || args[0].startsWith('-')) throw new UsageError('review needs one FILE (an incident bundle from vigil export)');
    const settings = readSettings();
    const port = portArg === undefined ? settings.port : parsePort(portArg);
    // No login guards a bundle: unlike the server, review listens on loopback unless VIGIL_HOST says otherwise.
    const host = process.env.VIGIL_HOST ?? '127.0.0.1';

    let bundle;
    try {
      bundle = await readBundle(args[0]);
    } catch (error) {
      if (error instanceof BundleError) throw new CliFailure(`not a usable incident bundle: ${error.message}`);
      throw new CliFailure(`cannot read ${args[0]}: ${(error as Error).message}`);
    }
    const shutdown = new AbortController();
    const source = new BundleReplaySource(bundle);
    const server = createReviewServer({
      bundle,
      webRoot: settings.webRoot,
      source,
      replayRoutes: bundleReplayRoutes(source, shutdown.signal),
      activeClients: () => replayResources.open,
    });
    // Listen for the stop signals before saying we listen: a signal in between would kill the process outright.
    const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => {
        resolve('SIGINT');
      });
      process.once('SIGTERM', () => {
        resolve('SIGTERM');
      });
    });
    server.listen(port, host);
    try {
      await once(server, 'listening');
    } catch (error) {
      throw new CliFailure(`cannot listen on port ${port}: ${(error as Error).message}`);
    }
    if (!existsSync(join(settings.webRoot, 'index.html'))) {
      process.stderr.write(
        `vigil: no built web app at ${settings.webRoot} (npm run build:web, or set VIGIL_WEB_ROOT); serving the API only\n`,
      );
    }
    const { header } = bundle;
    const bound = (server.address() as AddressInfo).port;
    process.stdout.write(
      `reviewing ${args[0]}: ${header.from} to ${header.to}, ${header.events} events, ${header.samples} samples\n` +
        `listening on http://localhost:${bound} (open /replay; Ctrl-C to stop)\n`,
    );
    const signal = await stopSignal;
    process.stdout.write(`${signal}: stopping the review server\n`);
    shutdown.abort();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    return 0;
  },
};
