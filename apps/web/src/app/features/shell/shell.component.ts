import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { CommandView, EventSummary } from '@vigil/shared';
import { CommandsService, describeHttpError } from '../../core/commands.service';
import { StreamService } from '../../core/stream.service';
import { CommandStateComponent } from '../../ui/command-state.component';
import { ConnectionStatusComponent } from '../../ui/connection-status.component';

type SendState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'sent'; commandId: string }
  | { kind: 'error'; message: string };

/** The one page for now: connection, log position, commands and the latest events. */
@Component({
  selector: 'vg-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ConnectionStatusComponent, CommandStateComponent],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.css',
})
export class ShellComponent {
  protected readonly stream = inject(StreamService);
  private readonly commands = inject(CommandsService);

  protected readonly send = signal<SendState>({ kind: 'idle' });

  constructor() {
    this.stream.connect();
  }

  protected sendPing(): void {
    if (this.send().kind === 'sending') return;
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
