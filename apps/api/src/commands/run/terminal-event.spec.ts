import type { AbortCause } from '../running-commands';
import { terminalEvent } from './terminal-event';

const ID = 'c1';

function aborted(cause: AbortCause | string): AbortSignal {
  const controller = new AbortController();
  controller.abort(cause);
  return controller.signal;
}
const running = (): AbortSignal => new AbortController().signal;

describe('terminalEvent', () => {
  it('completes with the executor’s exit code and result', () => {
    expect(terminalEvent(ID, 12, { result: { exitCode: 0, result: { from: 1, to: 2 } } }, running())).toEqual({
      type: 'command.completed',
      data: { commandId: ID, durationMs: 12, exitCode: 0, result: { from: 1, to: 2 } },
    });
  });

  it('fails with the error’s message and its exit code when it carries one', () => {
    const error = Object.assign(new Error('deploy step exited with 3'), { exitCode: 3 });
    expect(terminalEvent(ID, 40, { error }, running())).toEqual({
      type: 'command.failed',
      data: { commandId: ID, durationMs: 40, reason: 'deploy step exited with 3', exitCode: 3 },
    });
  });

  it('fails with the text of a thrown value that is not an Error', () => {
    expect(terminalEvent(ID, 1, { error: 'boom' }, running())).toEqual({
      type: 'command.failed',
      data: { commandId: ID, durationMs: 1, reason: 'boom', exitCode: undefined },
    });
  });

  it('is cancelled, with who and why, when a cancel aborted it', () => {
    const signal = aborted({ kind: 'cancelled', reason: 'cancelled by alice', by: 'alice' });
    expect(terminalEvent(ID, 5, { error: new Error('aborted') }, signal)).toEqual({
      type: 'command.cancelled',
      data: { commandId: ID, durationMs: 5, reason: 'cancelled by alice', by: 'alice' },
    });
  });

  it('stays cancelled when the run finished anyway after the cancel', () => {
    const signal = aborted({ kind: 'cancelled', reason: 'cancelled by bob', by: 'bob' });
    expect(terminalEvent(ID, 5, { result: { exitCode: 0 } }, signal).type).toBe('command.cancelled');
  });

  it('is interrupted when Vigil shut down under it', () => {
    const signal = aborted({ kind: 'shutdown', reason: 'Vigil shut down while the command was running' });
    expect(terminalEvent(ID, 5, { error: new Error('aborted') }, signal)).toEqual({
      type: 'command.interrupted',
      data: { commandId: ID, reason: 'Vigil shut down while the command was running' },
    });
  });

  it('fails with the timeout as the reason, whatever the run threw or returned', () => {
    const signal = aborted({ kind: 'timeout', reason: 'timed out after 10 s' });
    for (const end of [{ error: new Error('killed') }, { result: {} }]) {
      expect(terminalEvent(ID, 10_000, end, signal)).toEqual({
        type: 'command.failed',
        data: { commandId: ID, durationMs: 10_000, reason: 'timed out after 10 s', exitCode: undefined },
      });
    }
  });

  it('fails with the error itself when the abort reason is not one of ours', () => {
    expect(terminalEvent(ID, 2, { error: new Error('socket closed') }, aborted('odd'))).toEqual({
      type: 'command.failed',
      data: { commandId: ID, durationMs: 2, reason: 'socket closed', exitCode: undefined },
    });
  });
});
