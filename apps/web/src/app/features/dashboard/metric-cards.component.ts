import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CardGroup } from './metric-cards';

/**
 * The metric cards, one group per row (host, then each environment). A card's threshold
 * state shows as colour and as a word, so it does not depend on colour alone.
 */
@Component({
  selector: 'vg-metric-cards',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    @for (group of groups(); track group.key) {
      <section
        class="group"
        [attr.aria-labelledby]="'cards-' + group.key"
        [attr.data-testid]="group.key === 'host' ? 'host-metrics' : 'environment-metrics'"
        [attr.data-environment]="group.environment ?? null"
        [attr.data-sample-time]="group.time"
      >
        <div class="group-head">
          <h2 [id]="'cards-' + group.key">{{ group.title }}</h2>
          @if (group.time) {
            <span class="help"
              >sampled <time [attr.datetime]="group.time">{{ group.time | date: 'HH:mm:ss' }}</time></span
            >
          }
        </div>
        @if (group.error) {
          <p class="error" [attr.data-testid]="group.key === 'host' ? 'host-metrics-error' : 'environment-metrics-error'" role="status">
            {{ group.error }}
          </p>
        }
        <div class="cards">
          @for (card of group.cards; track card.id) {
            <div class="card" [attr.data-testid]="'metric-' + card.id" [attr.data-state]="card.state">
              <span class="label">{{ card.label }}</span>
              @for (line of card.lines; track $index) {
                <span class="value" data-testid="metric-value">
                  @if (line.label) {
                    <span class="line-label">{{ line.label }}</span>
                  }
                  {{ line.text }}
                </span>
              }
              @if (card.sub) {
                <span
                  class="sub"
                  [attr.data-testid]="card.id === 'memory' ? 'metric-memory-used' : card.id === 'disk' ? 'metric-root-used' : null"
                  >{{ card.sub }}</span
                >
              }
              <span class="state" data-testid="metric-state" [attr.data-state]="card.state">
                <span class="dot" aria-hidden="true"></span>{{ card.state }}
              </span>
            </div>
          }
        </div>
      </section>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 1rem;
    }
    .group {
      background: var(--surface-1);
      border: 1px solid var(--border);
      border-radius: 8px;
      padding: 0.75rem 1.25rem 1rem;
    }
    .group-head {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 1rem;
    }
    h2 {
      margin: 0;
      font-size: 1rem;
    }
    .help {
      font-size: 0.8rem;
      color: var(--text-muted);
    }
    .error {
      color: var(--err);
      font-size: 0.85rem;
      margin: 0.25rem 0;
    }
    .cards {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
      gap: 0.75rem;
      margin-top: 0.5rem;
    }
    .card {
      display: flex;
      flex-direction: column;
      gap: 0.15rem;
      padding: 0.6rem 0.8rem;
      border: 1px solid var(--border);
      border-left-width: 4px;
      border-radius: 6px;
      background: var(--surface-2);
    }
    .card[data-state='warning'] {
      border-left-color: var(--warn);
    }
    .card[data-state='critical'] {
      border-left-color: var(--err);
    }
    .card[data-state='normal'] {
      border-left-color: var(--ok);
    }
    .label {
      font-size: 0.75rem;
      color: var(--text-muted);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    .value {
      font-size: 1.15rem;
      font-weight: 600;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .line-label {
      font-size: 0.75rem;
      font-weight: 400;
      color: var(--text-muted);
    }
    .sub {
      font-size: 0.8rem;
      color: var(--text-muted);
      font-variant-numeric: tabular-nums;
    }
    .state {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
      font-size: 0.75rem;
      font-weight: 600;
      text-transform: uppercase;
    }
    .state .dot {
      width: 0.55rem;
      height: 0.55rem;
      border-radius: 50%;
      background: currentColor;
    }
    .state[data-state='normal'] {
      color: var(--ok);
    }
    .state[data-state='warning'] {
      color: var(--warn);
    }
    .state[data-state='critical'] {
      color: var(--err);
    }
    :host-context(html.vg-kiosk) .value {
      font-size: 1.6rem;
    }
  `,
})
export class MetricCardsComponent {
  readonly groups = input.required<readonly CardGroup[]>();
}
