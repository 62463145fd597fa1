import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The agent's own small state in its data dir: the last stream position it took in (its Last-Event-ID). */
export class AgentState {
  private readonly file: string;
  private last: number | undefined;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = join(dataDir, 'agent-state.json');
    if (existsSync(this.file)) {
      try {
        const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { lastEventId?: unknown };
        if (typeof parsed.lastEventId === 'number') this.last = parsed.lastEventId;
      } catch {
        this.last = undefined;
      }
    }
  }

  get lastEventId(): number | undefined {
    return this.last;
  }

  /** Records a position taken in (never moves back). */
  record(position: number): void {
    if (this.last !== undefined && position <= this.last) return;
    this.last = position;
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify({ lastEventId: position }), { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
