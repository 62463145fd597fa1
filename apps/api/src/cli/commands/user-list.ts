import { USER_STATE_EVENTS } from '../../auth/users.projection';
import { UsersState } from '../../auth/users-state';
import { readSettings } from '../../config/settings';
import { noMoreArguments, type CliCommand } from '../cli-command';
import { openLogForWriting } from '../open-log';
import { printTable } from '../print-table';

export const userListCommand: CliCommand = {
  words: ['user', 'list'],
  synopsis: '',
  summary: 'list users',
  async run(args) {
    noMoreArguments(args, 'user list');
    // Opened like `user add` (an empty data dir lists no users rather than failing).
    const store = await openLogForWriting(readSettings().dataDir);
    const state = new UsersState();
    try {
      for await (const event of store.read(1, { types: USER_STATE_EVENTS })) state.apply(event);
    } finally {
      await store.close();
    }
    const rows = state.list().map((user) => [user.username, user.role, user.disabled ? 'disabled' : 'active', user.createdAt, user.id]);
    printTable(['USERNAME', 'ROLE', 'STATUS', 'CREATED', 'ID'], rows);
    return 0;
  },
};
