import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { isTerminalCommandState, type CommandRequest, type ServiceView } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { CommandsService, describeHttpError } from '../../core/commands.service';
import { SessionService } from '../../core/session.service';
import { StreamService } from '../../core/stream.service';
import { CommandStateComponent } from '../../ui/command-state.component';
import { ConnectionStatusComponent } from '../../ui/connection-status.component';
import { ConfirmDialogComponent, type ConfirmDialogData } from './confirm-dialog.component';
import {
  DESTRUCTIVE_ACTIONS,
  MAX_INSTANCES,
  MIN_INSTANCES,
  activityRow,
  completionMessage,
  confirmationMessage,
  controlState,
  scaleError,
  serviceRowsFor,
  versionError,
  visibleEnvironments,
  type ControlState,
  type ServiceAction,
  type ServiceRow,
} from './services-view';

export const LOGS_FOLLOW_SECONDS = 30;

/** Services of every viewable environment, their controls, and the command activity feed. */
@Component({
  selector: 'vg-services',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, CommandStateComponent, ConnectionStatusComponent],
  templateUrl: './services.component.html',
  styleUrl: './services.component.css',
})
export class ServicesComponent {
  protected readonly stream = inject(StreamService);
  protected readonly session = inject(SessionService);
  private readonly commands = inject(CommandsService);
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly minInstances = MIN_INSTANCES;
  protected readonly maxInstances = MAX_INSTANCES;

  /** Ticks every second so uptimes and running durations move. */
  protected readonly now = signal(Date.now());
  /** GET /api/services at load, used until the stream has services. */
  private readonly loaded = signal<ServiceView[]>([]);
  protected readonly loadError = signal<string | null>(null);

  protected readonly services = computed<ServiceView[]>(() => {
    const live = Object.values(this.stream.state().services);
    return live.length > 0 ? live : this.loaded();
  });
  protected readonly environments = computed(() => visibleEnvironments(this.session.user(), this.services()));
  private readonly chosen = signal<string | null>(null);
  protected readonly environment = computed(() => {
    const list = this.environments();
    const chosen = this.chosen();
    return chosen && list.includes(chosen) ? chosen : (list[0] ?? null);
  });
  protected readonly rows = computed(() => {
    const environment = this.environment();
    return environment ? serviceRowsFor(this.services(), environment, this.now()) : [];
  });

  /** Per-row form values and messages, by row key. */
  protected readonly versions = signal<Partial<Record<string, string>>>({});
  protected readonly scales = signal<Partial<Record<string, string>>>({});
  protected readonly messages = signal<Record<string, { text: string; error: boolean }>>({});
  protected readonly busy = signal<Record<string, boolean>>({});

  /** The logs panel: which command's output it follows. */
  protected readonly logs = signal<{ commandId: string; key: string } | null>(null);
  protected readonly logsCommand = computed(() => {
    const logs = this.logs();
    return logs ? (this.stream.state().commands.find((command) => command.commandId === logs.commandId) ?? null) : null;
  });

  protected readonly activity = computed(() => this.stream.state().commands.map((command) => activityRow(command, this.now())));
  protected readonly expanded = signal<Record<string, boolean>>({});
  protected readonly outputs = computed(() => {
    const open = this.expanded();
    const map: Partial<Record<string, string[]>> = {};
    for (const command of this.stream.state().commands) {
      if (open[command.commandId]) map[command.commandId] = command.output.map((line) => line.text);
    }
    return map;
  });

  /** Commands this page started and not yet reported in a snack bar. */
  private readonly mine = signal<ReadonlySet<string>>(new Set());

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), 1_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));

    this.http.get<ServiceView[]>('/api/services').subscribe({
      next: (services) => this.loaded.set(services),
      error: (error: unknown) => this.loadError.set(describeHttpError(error)),
    });

    effect(() => {
      const mine = this.mine();
      if (mine.size === 0) return;
      const done = this.stream.state().commands.filter((command) => mine.has(command.commandId) && isTerminalCommandState(command.state));
      if (done.length === 0) return;
      untracked(() => {
        const rest = new Set(mine);
        for (const command of done) {
          rest.delete(command.commandId);
          this.snackBar.open(completionMessage(command), 'Dismiss', {
            duration: 5_000,
            panelClass: command.state === 'completed' ? 'vg-snack-ok' : 'vg-snack-error',
          });
        }
        this.mine.set(rest);
      });
    });
  }

  protected selectEnvironment(environment: string): void {
    this.chosen.set(environment);
  }

  protected control(type: ServiceAction, row: ServiceRow): ControlState {
    return controlState(this.session.user(), type, row.service, row.environment);
  }

  protected setVersion(key: string, value: string): void {
    this.versions.update((all) => ({ ...all, [key]: value }));
  }

  protected setScale(key: string, value: string): void {
    this.scales.update((all) => ({ ...all, [key]: value }));
  }

  protected scaleValue(row: ServiceRow): string {
    return this.scales()[row.key] ?? String(row.desired);
  }

  protected toggleOutput(commandId: string): void {
    this.expanded.update((all) => ({ ...all, [commandId]: !all[commandId] }));
  }

  protected closeLogs(): void {
    this.logs.set(null);
  }

  /** Runs one control: validates, confirms destructive ones, submits, reports. */
  protected async act(type: ServiceAction, row: ServiceRow): Promise<void> {
    if (!this.control(type, row).allowed || this.busy()[row.key]) return;
    const params: Record<string, unknown> = {};
    if (type === 'deploy') {
      const version = (this.versions()[row.key] ?? '').trim();
      const problem = versionError(version);
      if (problem) return this.say(row.key, problem, true);
      params['version'] = version;
    } else if (type === 'scale') {
      const raw = this.scaleValue(row);
      const problem = scaleError(raw === '' ? '' : Number(raw));
      if (problem) return this.say(row.key, problem, true);
      params['instances'] = Number(raw);
    } else if (type === 'logs') {
      Object.assign(params, { lines: 100, follow: true, followSeconds: LOGS_FOLLOW_SECONDS });
    }

    if (DESTRUCTIVE_ACTIONS.includes(type)) {
      const data: ConfirmDialogData = {
        title: `${type[0].toUpperCase()}${type.slice(1)}`,
        message: confirmationMessage(type, row.service, row.environment, params as { version?: string; instances?: number }),
        confirmLabel: `${type[0].toUpperCase()}${type.slice(1)}`,
      };
      const ref = this.dialog.open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, {
        data,
        panelClass: 'vg-dialog-panel',
        ariaLabel: data.message,
        autoFocus: 'dialog',
      });
      const confirmed = await firstValueFrom(ref.afterClosed());
      if (!confirmed) return;
    }

    this.busy.update((all) => ({ ...all, [row.key]: true }));
    this.say(row.key, `Sending ${type}…`, false);
    const request = { type, target: row.service, environment: row.environment, params } as CommandRequest;
    try {
      const accepted = await firstValueFrom(this.commands.submit(request));
      this.mine.update((ids) => new Set(ids).add(accepted.commandId));
      if (type === 'logs') this.logs.set({ commandId: accepted.commandId, key: row.key });
      this.say(row.key, `${type} accepted`, false);
    } catch (error) {
      this.say(row.key, describeHttpError(error), true);
    } finally {
      this.busy.update((all) => ({ ...all, [row.key]: false }));
    }
  }

  private say(key: string, text: string, error: boolean): void {
    this.messages.update((all) => ({ ...all, [key]: { text, error } }));
  }
}
