import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';

/** The events replayed so far, newest first, as the shared reducer keeps them. */
@Component({
  selector: 'vg-replay-feed',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    <section class="panel" aria-labelledby="replay-feed-heading">
      <h2 id="replay-feed-heading">Events replayed</h2>
      @if (events().length === 0) {
        <p class="muted">Nothing has happened yet at this point of the replay.</p>
      } @else {
        <ol class="feed" data-testid="replay-feed">
          @for (event of events(); track event.position) {
            <li data-testid="replay-feed-event" [attr.data-type]="event.type" [attr.data-position]="event.position" [attr.data-stream]="event.stream">
              <time [attr.datetime]="event.time">{{ event.time | date: 'HH:mm:ss' }}</time>
              <code>{{ event.type }}</code>
              <span class="muted">{{ event.stream }}</span>
              @if (event.environment) {
                <span class="env">{{ event.environment }}</span>
              }
            </li>
          }
        </ol>
      }
    </section>
  `,
  styles: `
    .panel { background: var(--surface-1); border: 1px solid var(--border); border-radius: 8px; padding: 0.75rem 1rem; }
    h2 { font-size: 1rem; margin: 0 0 0.5rem; }
    .feed { list-style: none; margin: 0; padding: 0; max-height: 24rem; overflow: auto; font-size: 0.85rem; }
    .feed li { display: flex; gap: 0.75rem; padding: 0.2rem 0; border-bottom: 1px solid var(--border); }
    .muted { color: var(--text-muted); }
    .env { margin-left: auto; color: var(--text-muted); font-size: 0.75rem; }
  `,
})
export class ReplayFeedComponent {
  private readonly source = inject(DASHBOARD_SOURCE);
  protected readonly events = computed(() => this.source.state().recentEvents);
}
