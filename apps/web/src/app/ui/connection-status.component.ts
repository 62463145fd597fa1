import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ConnectionStatus } from '../core/stream.service';

/** A small badge for the stream's connection state. The badge text is exactly the status word. */
@Component({
  selector: 'vg-connection-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="badge" [attr.data-status]="status()" role="status" aria-live="polite">
      <span class="dot" aria-hidden="true"></span>
      <span data-testid="connection-status">{{ status() }}</span>
    </span>
    @if (hint(); as text) {
      <span class="hint" data-testid="reconnect-countdown">{{ text }}</span>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
    }
    .badge {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      padding: 0.15rem 0.6rem;
      border-radius: 999px;
      font-size: 0.8rem;
      font-weight: 600;
      letter-spacing: 0.02em;
      border: 1px solid var(--border);
      background: var(--surface-2);
      color: var(--text-muted);
    }
    .dot {
      width: 0.5rem;
      height: 0.5rem;
      border-radius: 50%;
      background: currentColor;
    }
    .badge[data-status='connected'] {
      color: var(--ok);
      border-color: color-mix(in srgb, var(--ok) 40%, transparent);
    }
    .badge[data-status='connecting'],
    .badge[data-status='reconnecting'] {
      color: var(--warn);
      border-color: color-mix(in srgb, var(--warn) 40%, transparent);
    }
    .badge[data-status='offline'] {
      color: var(--err);
      border-color: color-mix(in srgb, var(--err) 40%, transparent);
    }
    .hint {
      font-size: 0.8rem;
      color: var(--text-muted);
    }
  `,
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
