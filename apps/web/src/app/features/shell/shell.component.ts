import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { can, denialReason, type Action, type CommandView, type EventSummary } from '@vigil/shared';
import { CommandsService, describeHttpError } from '../../core/commands.service';
import { SessionService } from '../../core/session.service';
import { StreamService } from '../../core/stream.service';
import { CommandStateComponent } from '../../ui/command-state.component';
import { ConnectionStatusComponent } from '../../ui/connection-status.component';
import { MetricChartsComponent } from '../charts/metric-charts.component';
import { hostMetricsView, serviceRows } from './host-metrics';

type SendState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'sent'; commandId: string }
  | { kind: 'error'; message: string };

/** What the Send ping button does, as a permission question. */
export const PING_ACTION: Action = { kind: 'command', type: 'ping', target: 'vigil', environment: 'staging' };

/** The one page for now: connection, log position, commands and the latest events. */
@Component({
  selector: 'vg-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ConnectionStatusComponent, CommandStateComponent, MetricChartsComponent],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.css',
})
export class ShellComponent {
  protected readonly stream = inject(StreamService);
  protected readonly session = inject(SessionService);
  private readonly commands = inject(CommandsService);

  protected readonly send = signal<SendState>({ kind: 'idle' });
  protected readonly signingOut = signal(false);

  /** Host strip and services table, derived from the folded state (live with every sample). */
  protected readonly host = computed(() => hostMetricsView(this.stream.state().metrics));
  protected readonly services = computed(() => serviceRows(this.stream.state().services));

  /** The stream itself is connected by the session (see linkStreamToSession). */
  protected readonly canPing = computed(() => can(this.session.user(), PING_ACTION));
  protected readonly pingDenial = computed(() => {
    const user = this.session.user();
    return user ? denialReason(user, PING_ACTION) : 'not signed in';
  });

  protected signOut(): void {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    void this.session.logout().finally(() => this.signingOut.set(false));
  }

  protected sendPing(): void {
    if (this.send().kind === 'sending' || !this.canPing()) return;
    this.send.set({ kind: 'sending' });
    this.commands.ping('staging').subscribe({
      next: (accepted) => this.send.set({ kind: 'sent', commandId: accepted.commandId }),
      error: (error: unknown) => this.send.set({ kind: 'error', message: describeHttpError(error) }),
    });
  }

  protected trackCommand(_index: number, command: CommandView): string {
    return command.commandId;
  }

  protected trackEvent(_index: number, event: EventSummary): number {
    return event.position;
  }
}
