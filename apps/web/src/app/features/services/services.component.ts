import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  MAX_INSTANCES,
  MIN_INSTANCES,
  dashboardForEnvironment,
  hostNamed,
  isTerminalCommandState,
  type CommandRequest,
  type ServiceView,
} from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { CommandsService } from '../../core/commands.service';
import { describeHttpError } from '../../core/http-error';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { KioskService } from '../../core/kiosk.service';
import { injectReadOnlyReason } from '../../core/read-only';
import { SessionService } from '../../core/session.service';
import { ActivityFeedComponent } from '../../ui/activity-feed.component';
import { CommandStateComponent } from '../../ui/command-state.component';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../ui/confirm-dialog.component';
import { ServicesApiService } from './services-api.service';
import {
  DESTRUCTIVE_ACTIONS,
  SERVICE_ACTIONS,
  completionMessage,
  confirmationMessage,
  controlState,
  hostChoices,
  LOCAL_HOST_LABEL,
  scaleError,
  serviceRowsFor,
  versionError,
  visibleEnvironments,
  type ControlState,
  type ServiceAction,
  type ServiceRow,
} from './services-view';

export const LOGS_FOLLOW_SECONDS = 30;

/**
 * Services of the environment chosen in the header (every viewable one for "All"),
 * their controls, and the command activity feed. Reads DASHBOARD_SOURCE, so in a
 * replay (or a kiosk) the same page shows state without any control.
 */
@Component({
  selector: 'vg-services',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CommandStateComponent, ActivityFeedComponent],
  templateUrl: './services.component.html',
  styleUrl: './services.component.css',
})
export class ServicesComponent {
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly environmentService = inject(EnvironmentService);
  protected readonly session = inject(SessionService);
  /** Why controls are hidden (replay, kiosk), or null. */
  protected readonly readOnly = injectReadOnlyReason();
  protected readonly kiosk = inject(KioskService);
  private readonly commands = inject(CommandsService);
  private readonly servicesApi = inject(ServicesApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly minInstances = MIN_INSTANCES;
  protected readonly maxInstances = MAX_INSTANCES;
  /** The one-click controls of each row, in the order they are shown. */
  protected readonly simpleActions: readonly { type: ServiceAction; label: string; ariaPrefix: string }[] = [
    { type: 'restart', label: 'Restart', ariaPrefix: 'Restart ' },
    { type: 'stop', label: 'Stop', ariaPrefix: 'Stop ' },
    { type: 'start', label: 'Start', ariaPrefix: 'Start ' },
    { type: 'logs', label: 'Logs', ariaPrefix: 'Follow logs of ' },
  ];

  /** Live: the wall clock, ticking every second so uptimes and durations move; replay: the replay clock. */
  protected readonly now = this.source.now;
  /** The state as the header's environment choice filters it. */
  private readonly state = computed(() => dashboardForEnvironment(this.source.state(), this.environmentService.selected()));
  /** GET /api/services at load (live only), used until the stream has services. */
  private readonly loaded = signal<ServiceView[]>([]);
  protected readonly loadError = signal<string | null>(null);

  protected readonly services = computed<ServiceView[]>(() => {
    const live = Object.values(this.state().services);
    if (live.length > 0 || this.source.mode === 'replay') return live;
    const selected = this.environmentService.selected();
    return this.loaded().filter((service) => selected === undefined || service.environment === selected);
  });
  /** Environments shown, each with its own table. */
  protected readonly environments = computed(() => visibleEnvironments(this.session.user(), this.services()));
  /** The host filter: undefined = every host, '' = this server's own services, else an agent host. */
  protected readonly hostFilter = signal<string | undefined>(undefined);
  protected readonly hosts = computed(() => hostChoices(this.services()));
  protected readonly localHostLabel = LOCAL_HOST_LABEL;
  /** Whether any agent host runs services here (else the host column and filter stay away). */
  protected readonly hasAgents = computed(() => this.hosts().some((host) => host !== ''));
  /** Each agent host's status from the stream (online / offline / revoked). */
  protected readonly hostStatus = computed(() => this.source.state().hosts ?? {});
  protected readonly rowsByEnvironment = computed(() =>
    this.environments()
      .map((environment) => ({ environment, rows: serviceRowsFor(this.services(), environment, this.now(), this.hostFilter()) }))
      .filter((group) => group.rows.length > 0 || this.hostFilter() === undefined),
  );

  /**
   * Whether the Actions column is shown: not in a replay or kiosk, and not for a role
   * that may run none of them on any row shown (a viewer sees no controls at all);
   * otherwise each control the role may not use is disabled with the reason.
   */
  protected readonly showControls = computed(
    () =>
      !this.readOnly() &&
      this.rowsByEnvironment().some((group) => group.rows.some((row) => SERVICE_ACTIONS.some((type) => this.control(type, row).allowed))),
  );

  /** Per-row form values and messages, by row key. */
  protected readonly versions = signal<Partial<Record<string, string>>>({});
  protected readonly scales = signal<Partial<Record<string, string>>>({});
  protected readonly messages = signal<Record<string, { text: string; error: boolean }>>({});
  protected readonly busy = signal<Record<string, boolean>>({});

  /** The logs panel: which command's output it follows. */
  protected readonly logs = signal<{ commandId: string; key: string } | null>(null);
  protected readonly logsCommand = computed(() => {
    const logs = this.logs();
    return logs ? (this.source.state().commands.find((command) => command.commandId === logs.commandId) ?? null) : null;
  });

  protected readonly commandsShown = computed(() => this.state().commands);

  /** Commands this page started and not yet reported in a snack bar. */
  private readonly mine = signal<ReadonlySet<string>>(new Set());

  constructor() {
    if (this.source.mode === 'live') {
      const subscription = this.servicesApi.list().subscribe({
        next: (services) => {
          this.loaded.set(services);
        },
        error: (error: unknown) => {
          this.loadError.set(describeHttpError(error));
        },
      });
      inject(DestroyRef).onDestroy(() => {
        subscription.unsubscribe();
      });
    }

    effect(() => {
      const mine = this.mine();
      if (mine.size === 0) return;
      const done = this.source.state().commands.filter((command) => mine.has(command.commandId) && isTerminalCommandState(command.state));
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

  protected control(type: ServiceAction, row: ServiceRow): ControlState {
    return controlState(this.session.user(), type, row.service, row.environment, row.host || undefined);
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

  /** An agent host's status as the stream tells it; undefined for this server. */
  protected hostStateOf(host: string): string | undefined {
    return host ? hostNamed(this.hostStatus(), host)?.status : undefined;
  }

  protected setHostFilter(value: string): void {
    this.hostFilter.set(value === '*' ? undefined : value);
  }

  protected closeLogs(): void {
    this.logs.set(null);
  }

  /** Runs one control: validates, confirms destructive ones, submits, reports. */
  protected async act(type: ServiceAction, row: ServiceRow): Promise<void> {
    if (!this.showControls() || !this.control(type, row).allowed || this.busy()[row.key]) return;
    const params: Record<string, unknown> = {};
    if (type === 'deploy') {
      const version = (this.versions()[row.key] ?? '').trim();
      const problem = versionError(version);
      if (problem) {
        this.say(row.key, problem, true);
        return;
      }
      params['version'] = version;
    } else if (type === 'scale') {
      const raw = this.scaleValue(row);
      const problem = scaleError(raw === '' ? '' : Number(raw));
      if (problem) {
        this.say(row.key, problem, true);
        return;
      }
      params['instances'] = Number(raw);
    } else if (type === 'logs') {
      Object.assign(params, { lines: 100, follow: true, followSeconds: LOGS_FOLLOW_SECONDS });
    }

    if (DESTRUCTIVE_ACTIONS.includes(type)) {
      const data: ConfirmDialogData = {
        title: `${type[0].toUpperCase()}${type.slice(1)}`,
        message: confirmationMessage(type, row.service, row.environment, params),
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
