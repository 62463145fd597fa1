import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { nameSchema } from '@vigil/shared';
import { Agent, AgentRefusedError } from '../../agent/agent';
import { loadAgentConfig } from '../../agent/agent-config';
import { CliFailure, noMoreArguments, optionValue, UsageError, type CliCommand } from '../cli-command';

/** The token: VIGIL_AGENT_TOKEN, or the first line of --token-file (never an argument: it would show in `ps`). */
function tokenOf(tokenFile: string | undefined): string {
  if (tokenFile !== undefined) {
    if (!existsSync(tokenFile)) throw new CliFailure(`no token file at ${tokenFile}`);
    const token = readFileSync(tokenFile, 'utf8').split('\n')[0]?.trim() ?? '';
    if (!token) throw new CliFailure(`${tokenFile} holds no token`);
    return token;
  }
  const token = process.env.VIGIL_AGENT_TOKEN?.trim();
  if (!token) throw new UsageError('agent needs its host token in VIGIL_AGENT_TOKEN or --token-file FILE');
  return token;
}

/**
 * `vigil agent`: runs in the foreground until SIGTERM/SIGINT (then stops its
 * services and sends what it still holds). Exit 1 when the server refuses its
 * services (a name another host already has, a bad definition).
 */
export const agentCommand: CliCommand = {
  words: ['agent'],
  synopsis: '--server URL --name NAME [--config vigil-agent.yaml] [--token-file FILE] [--data-dir DIR]',
  summary: 'run the agent on this host (token from VIGIL_AGENT_TOKEN or --token-file)',
  async run(args) {
    const server = optionValue(args, '--server');
    const name = optionValue(args, '--name');
    const configPath = resolve(optionValue(args, '--config') ?? 'vigil-agent.yaml');
    const tokenFile = optionValue(args, '--token-file');
    const dataDir = resolve(optionValue(args, '--data-dir') ?? process.env.VIGIL_DATA_DIR ?? './agent-data');
    noMoreArguments(args, 'agent');
    if (!server || !/^https?:\/\/[^\s]+$/.test(server)) throw new UsageError('agent needs --server http(s)://HOST:PORT');
    if (!name || !nameSchema.safeParse(name).success) throw new UsageError('agent needs --name NAME (lowercase letters, digits, "-", "_")');
    const token = tokenOf(tokenFile);
    const config = loadAgentConfig(configPath);
    Logger.overrideLogger(['log', 'error', 'warn']);

    const agent = new Agent({ server, name, token, dataDir, config });
    let stopping: Promise<void> | undefined;
    const stop = (): void => {
      stopping ??= agent.stop();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    try {
      await Promise.race([
        agent.run(),
        new Promise<void>((resolveStop) => process.once('SIGTERM', resolveStop).once('SIGINT', resolveStop)),
      ]);
      await stopping;
      return 0;
    } catch (error) {
      if (error instanceof AgentRefusedError) {
        await agent.stop();
        throw new CliFailure(error.message);
      }
      throw error;
    }
  },
};
