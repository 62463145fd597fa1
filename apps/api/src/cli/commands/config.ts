import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configJsonSchema } from '../../config/config-json-schema';
import { loadConfig } from '../../config/load-config';
import { readSettings } from '../../config/settings';
import { UsageError, type CliCommand } from '../cli-command';

/** Prints the JSON Schema of vigil.config.yaml (the same as vigil.config.schema.json in the repository). */
export const configSchemaCommand: CliCommand = {
  words: ['config', 'schema'],
  synopsis: '',
  summary: 'print the JSON Schema of vigil.config.yaml (for editors and checks)',
  run(args) {
    parseArgs({ args, options: {}, strict: true });
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    return Promise.resolve(0);
  },
};

/** Validates a config file as the server would at start: exit 0 when usable, 1 with every problem. */
export const configCheckCommand: CliCommand = {
  words: ['config', 'check'],
  synopsis: '[FILE]',
  summary: 'check a config file (default: VIGIL_CONFIG) as start-up would; exit 1 listing every problem',
  help: 'Prints "FILE: ok" and exits 0, or the problems (file:line:column  key: reason) and exits 1.',
  run(args) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    if (positionals.length > 1) throw new UsageError('config check takes one FILE');
    const settings = readSettings();
    const given = positionals.at(0);
    const file = given === undefined ? settings.configPath : resolve(given);
    // An explicit FILE, or an explicit VIGIL_CONFIG, must exist.
    loadConfig(file, { required: positionals.length === 1 || settings.configRequired });
    process.stdout.write(`${file}: ok\n`);
    return Promise.resolve(0);
  },
};
