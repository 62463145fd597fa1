import { acceptanceView, commandOutputLines, commandViewChanges, startsCommandView, type CommandView } from './command-view';
import { evolveDashboard, evolveDashboardAlerts, evolveDashboardServices, isWatchEvent, summarizeEvent } from './dashboard-reducer';
import { DASHBOARD_LIMITS, type DashboardState, type EventSummary } from './dashboard-state';
import type { StoredEvent } from './events';
import type { AlertView } from './alerts';
import type { HostView } from './host-events';
import { evolveHosts } from './host-view';
import type { ServiceView } from './service-view';

const RECENT = DASHBOARD_LIMITS.recentEvents;

/**
 * A batch fold of the dashboard state: `state()` is always deep-equal to folding the
 * same events one by one with evolveDashboard (key order included), but nothing is
 * copied per event. evolveDashboard copies the 50 recent events, the 100 commands and
 * the changed command's view for every event; here commands live in a Map (its
 * insertion order is the dashboard's order, oldest first), views this fold made are
 * changed in place, and the recent events are a ring summarized only when a state is
 * asked for. Neither the given state nor the events are ever changed: a view from the
 * given state (or from a state already handed out) is copied once before its first
 * change. Services and alerts change rarely and go through the reducer's own code.
 */
export class DashboardFold {
  private base: DashboardState;
  private folded: number;
  /** Commands by id, oldest first; a replaced view keeps its place, like in the reducer's list. */
  private readonly commands = new Map<string, CommandView>();
  /** Views made since the last state() handed some out: only these may change in place. */
  private readonly owned = new Set<CommandView>();
  private services: Record<string, ServiceView>;
  private alerts: AlertView[];
  private hosts: Record<string, HostView> | undefined;
  /** The last events folded since the last state(), newest at `recentNext - 1`. */
  private readonly recent: (StoredEvent | undefined)[] = new Array<StoredEvent | undefined>(RECENT);
  private recentNext = 0;
  private recentCount = 0;
  /** Set when the given state is not one the reducer makes (two commands with one id): the reducer does the work. */
  private fallback?: DashboardState;

  constructor(state: DashboardState) {
    this.base = state;
    this.folded = state.position;
    this.services = state.services;
    this.alerts = state.alerts;
    this.hosts = state.hosts;
    for (let i = state.commands.length - 1; i >= 0; i--) {
      const view = state.commands[i];
      if (this.commands.has(view.commandId)) {
        this.fallback = state;
        return;
      }
      this.commands.set(view.commandId, view);
    }
  }

  /** Last position folded in. */
  get position(): number {
    return this.fallback?.position ?? this.folded;
  }

  /** Folds one event; false when it was at or below the position (ignored, as the reducer does). */
  add(event: StoredEvent): boolean {
    if (this.fallback) {
      const next = evolveDashboard(this.fallback, event);
      if (next === this.fallback) return false;
      this.fallback = next;
      return true;
    }
    if (event.position <= this.folded) return false;
    this.folded = event.position;
    if (isWatchEvent(event)) return true;
    this.recent[this.recentNext] = event;
    this.recentNext = (this.recentNext + 1) % RECENT;
    this.recentCount += 1;
    if (event.type.startsWith('command.')) this.addCommand(event);
    else if (event.type.startsWith('service.')) this.services = evolveDashboardServices(this.services, event);
    else if (event.type.startsWith('alert.')) this.alerts = evolveDashboardAlerts(this.alerts, event);
    else if (event.type.startsWith('host.')) this.hosts = evolveHosts(this.hosts ?? {}, event);
    return true;
  }

  /** The state so far, as a new immutable value; the fold can go on afterwards. */
  state(): DashboardState {
    if (this.fallback) return this.fallback;
    if (this.recentCount === 0) return this.base;
    const commands: CommandView[] = [];
    for (const view of this.commands.values()) commands.push(view);
    commands.reverse();
    this.base = {
      ...this.base,
      position: this.folded,
      commands,
      services: this.services,
      alerts: this.alerts,
      recentEvents: this.recentEvents(),
      ...(this.hosts ? { hosts: this.hosts } : {}),
    };
    // What was handed out is immutable from now on.
    this.owned.clear();
    this.recent.fill(undefined);
    this.recentCount = 0;
    return this.base;
  }

  /** What evolveDashboard's prepend-and-cut per event leaves: the newest events, then the older list. */
  private recentEvents(): EventSummary[] {
    const fresh = Math.min(this.recentCount, RECENT);
    const list: EventSummary[] = [];
    for (let i = 1; i <= fresh; i++) {
      const event = this.recent[(this.recentNext - i + RECENT) % RECENT];
      if (event) list.push(summarizeEvent(event));
    }
    const older = this.base.recentEvents;
    for (let i = 0; list.length < RECENT && i < older.length; i++) list.push(older[i]);
    return list;
  }

  private addCommand(event: StoredEvent): void {
    const commandId = (event.data as { commandId?: string }).commandId;
    if (!commandId) return;
    const current = this.commands.get(commandId);
    if (startsCommandView(event)) {
      const view = acceptanceView(event);
      this.owned.add(view);
      if (current) {
        this.owned.delete(current);
        this.commands.set(commandId, view);
        return;
      }
      this.commands.set(commandId, view);
      if (this.commands.size > DASHBOARD_LIMITS.commands) this.dropOldest();
      return;
    }
    if (!current) return;
    if (event.type === 'command.output') {
      const view = this.own(commandId, current);
      const output = view.output;
      for (const line of commandOutputLines(event)) output.push(line);
      const limit = DASHBOARD_LIMITS.outputLinesPerCommand;
      if (output.length > limit) output.splice(0, output.length - limit);
      view.position = event.position;
      return;
    }
    const changes = commandViewChanges(event, current);
    if (changes) Object.assign(this.own(commandId, current), changes);
  }

  /** A view this fold may change in place: `view` itself if it made it, else a copy put in its place. */
  private own(commandId: string, view: CommandView): CommandView {
    if (this.owned.has(view)) return view;
    const copy = { ...view, output: view.output.slice() };
    this.owned.add(copy);
    this.commands.set(commandId, copy);
    return copy;
  }

  private dropOldest(): void {
    // A given state may hold more than the limit: the reducer cuts it to the limit on the next new command.
    for (const [commandId, view] of this.commands) {
      if (this.commands.size <= DASHBOARD_LIMITS.commands) break;
      this.commands.delete(commandId);
      this.owned.delete(view);
    }
  }
}

/**
 * `events.reduce(evolveDashboard, state)` for a run of events, without the per-event
 * copies (see DashboardFold). Neither `state` nor the events are changed.
 */
export function foldDashboard(state: DashboardState, events: Iterable<StoredEvent>): DashboardState {
  const fold = new DashboardFold(state);
  for (const event of events) fold.add(event);
  return fold.state();
}
