import { listeningUrl } from '../../common/listening-url';
import { readSettings } from '../../config/settings';
import { BundleError, readBundle, type IncidentBundle } from '../../incident/bundle-reader';
import { createReviewServer } from '../../review/review-server';
import { CliFailure, optionValue, UsageError, type CliCommand } from '../cli-command';

function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port "${raw}" is not a port (0 to 65535)`);
  return port;
}

async function openBundle(file: string): Promise<IncidentBundle> {
  try {
    return await readBundle(file);
  } catch (error) {
    if (error instanceof BundleError) throw new CliFailure(`not a usable incident bundle: ${error.message}`);
    throw new CliFailure(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
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
    const [file] = args;
    if (args.length !== 1 || file.startsWith('-')) throw new UsageError('review needs one FILE (an incident bundle from vigil export)');
    const settings = readSettings();
    const port = portArg === undefined ? settings.port : parsePort(portArg);
    // No login guards a bundle: unlike the server, review listens on loopback unless VIGIL_HOST says otherwise.
    const host = process.env.VIGIL_HOST ?? '127.0.0.1';

    const bundle = await openBundle(file);
    const app = await createReviewServer({ bundle, webRoot: settings.webRoot });
    // Listen for the stop signals before saying we listen: a signal in between would kill the process outright.
    const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => {
        resolve('SIGINT');
      });
      process.once('SIGTERM', () => {
        resolve('SIGTERM');
      });
    });
    try {
      await app.listen(port, host);
    } catch (error) {
      await app.close();
      throw new CliFailure(`cannot listen on port ${port}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { header } = bundle;
    const bound = listeningUrl(app.getHttpServer().address(), port);
    process.stdout.write(
      `reviewing ${file}: ${header.from} to ${header.to}, ${header.events} events, ${header.samples} samples\n` +
        `listening on ${bound} (open /replay; Ctrl-C to stop)\n`,
    );
    const signal = await stopSignal;
    process.stdout.write(`${signal}: stopping the review server\n`);
    await app.close();
    return 0;
  },
};
