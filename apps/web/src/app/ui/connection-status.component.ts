import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ConnectionStatus } from '../core/stream.service';

/** A small badge for the stream's connection state. The badge text is exactly the status word. */
@Component({
  selector: 'vg-connection-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './connection-status.component.html',
  styleUrl: './connection-status.component.css',
})
export class ConnectionStatusComponent {
  readonly status = input.required<ConnectionStatus>();
  /** Seconds until the next attempt while reconnecting. */
  readonly countdown = input<number | null>(null);

  protected readonly hint = computed(() => {
    const status = this.status();
    if (status === 'reconnecting') {
      const seconds = this.countdown();
      return seconds === null ? 'retrying now…' : `retry in ${seconds}s`;
    }
    if (status === 'offline') return 'browser is offline';
    return null;
  });
}
