import type { StoredEvent } from '@vigil/shared';
import { CommitSequencer } from './commit-sequencer';

function at(position: number): StoredEvent {
  return {
    position,
    stream: 's',
    version: position,
    type: 'command.started',
    data: { commandId: String(position) },
    meta: {},
    time: '',
    hash: '',
  } as StoredEvent;
}

function range(first: number, last: number): StoredEvent[] {
  return Array.from({ length: last - first + 1 }, (_, i) => at(first + i));
}

describe('CommitSequencer', () => {
  let emitted: number[];
  let log: string[];
  let sequencer: CommitSequencer;

  beforeEach(() => {
    emitted = [];
    log = [];
    sequencer = new CommitSequencer(10, (event) => {
      emitted.push(event.position);
      log.push(`emit ${event.position}`);
    });
  });

  it('publishes an own commit that continues the prefix at once, then settles it', () => {
    sequencer.addOwn(range(11, 12), () => log.push('settled'));
    expect(log).toEqual(['emit 11', 'emit 12', 'settled']);
    expect(sequencer.position).toBe(12);
    expect(sequencer.waiting).toBe(false);
  });

  it('holds an own commit behind a gap until the read fills it, then publishes it from memory', () => {
    sequencer.addOwn(range(14, 15), () => log.push('settled'));
    expect(emitted).toEqual([]);
    expect(sequencer.waiting).toBe(true);
    expect(sequencer.knownHead).toBe(15);
    expect(sequencer.addRead(range(11, 13))).toBe(true);
    expect(log).toEqual(['emit 11', 'emit 12', 'emit 13', 'emit 14', 'emit 15', 'settled']);
    expect(sequencer.waiting).toBe(false);
  });

  it('publishes each position once when reads overlap own commits and each other', () => {
    sequencer.addOwn(range(13, 14), () => log.push('settled a'));
    sequencer.addOwn(range(17, 17), () => log.push('settled b'));
    expect(sequencer.addRead(range(11, 13))).toBe(true);
    expect(sequencer.addRead(range(11, 16))).toBe(true);
    expect(sequencer.addRead(range(15, 18))).toBe(true);
    expect(emitted).toEqual(range(11, 18).map((event) => event.position));
    expect(log.filter((line) => line.startsWith('settled'))).toEqual(['settled a', 'settled b']);
  });

  it('refuses rows that skip a position and publishes nothing past the gap', () => {
    expect(sequencer.addRead([at(11), at(13)])).toBe(false);
    expect(emitted).toEqual([11]);
    expect(sequencer.position).toBe(11);
  });

  it('settles what still waits at close without publishing it', () => {
    sequencer.addOwn(range(20, 20), () => log.push('settled'));
    sequencer.settleAll();
    expect(log).toEqual(['settled']);
    expect(emitted).toEqual([]);
  });
});
