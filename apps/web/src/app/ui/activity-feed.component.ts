import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import type { CommandView } from '@vigil/shared';
import { activityRow } from './activity-row';
import { CommandStateComponent } from './command-state.component';

/** Commands, newest first: who ran what on which target, its state and how long it took; output on demand. */
@Component({
  selector: 'vg-activity-feed',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CommandStateComponent],
  template: `
    @if (rows().length === 0) {
      <p class="empty">No commands yet.</p>
    }
    <ul class="feed" data-testid="activity-feed" aria-label="Command activity, newest first">
      @for (item of rows(); track item.commandId) {
        <li
          data-testid="activity-row"
          [attr.data-state]="item.state"
          [attr.data-command-id]="item.commandId"
          [attr.data-type]="item.what"
          [attr.data-environment]="item.environment"
          [attr.data-target]="item.target"
        >
          <div class="feed-line">
            <strong data-testid="activity-who">{{ item.who }}</strong>
            <span>{{ item.what }}</span>
            <code>{{ item.target }}</code>
            <span class="env">{{ item.environment }}</span>
            <vg-command-state [state]="item.state" />
            <span class="duration" data-testid="activity-duration">{{ item.duration }}</span>
            @if (outputToggles()) {
              <button
                type="button"
                class="link"
                data-testid="toggle-output"
                [attr.aria-expanded]="!!expanded()[item.commandId]"
                [attr.aria-controls]="'output-' + item.commandId"
                (click)="toggle(item.commandId)"
              >
                {{ expanded()[item.commandId] ? 'Hide output' : 'Show output' }}
              </button>
            }
          </div>
          @if (item.deploy) {
            <div class="progress-line">
              <!-- No value: an indeterminate bar until the deploy reports its first step. -->
              <progress
                max="100"
                [attr.value]="item.percent"
                data-testid="deploy-progress"
                [attr.aria-label]="'Deploy progress of ' + item.target"
              ></progress>
              <span
                >{{ item.percent === null ? 'starting' : item.percent + '%' }}
                @if (item.step) {
                  · {{ item.step }}
                }
              </span>
            </div>
          }
          @if (expanded()[item.commandId]) {
            <pre class="output" [id]="'output-' + item.commandId" data-testid="activity-output" tabindex="0">{{
              (outputs()[item.commandId] ?? []).join(
                '
'
              ) || '(no output)'
            }}</pre>
          }
        </li>
      }
    </ul>
  `,
  styles: `
    :host {
      display: block;
    }
    .empty {
      color: var(--text-muted);
      font-size: 0.9rem;
    }
    .feed {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.4rem;
    }
    .feed li {
      border-bottom: 1px solid var(--border);
      padding: 0.4rem 0;
    }
    .feed-line {
      display: flex;
      gap: 0.6rem;
      align-items: center;
      flex-wrap: wrap;
      font-size: 0.875rem;
    }
    .env,
    .duration {
      color: var(--text-muted);
    }
    .progress-line {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      font-size: 0.8rem;
      margin-top: 0.3rem;
    }
    progress {
      width: 12rem;
    }
    button.link {
      background: none;
      border: none;
      color: var(--info);
      padding: 0;
      text-decoration: underline;
    }
    .output {
      max-height: 20rem;
      overflow: auto;
      margin: 0.5rem 0 0;
      padding: 0.6rem;
      border-radius: 6px;
      background: var(--bg);
      border: 1px solid var(--border);
      font-size: 0.8rem;
      white-space: pre-wrap;
    }
  `,
})
export class ActivityFeedComponent {
  readonly commands = input.required<readonly CommandView[]>();
  /** Epoch ms that running durations are measured to. */
  readonly now = input.required<number>();
  /** "Show output" buttons; off on a wall display (kiosk), where nobody clicks. */
  readonly outputToggles = input(true);

  protected readonly rows = computed(() => this.commands().map((command) => activityRow(command, this.now())));
  protected readonly expanded = signal<Record<string, boolean>>({});
  protected readonly outputs = computed(() => {
    const open = this.expanded();
    const map: Partial<Record<string, string[]>> = {};
    for (const command of this.commands()) {
      if (open[command.commandId]) map[command.commandId] = command.output.map((line) => line.text);
    }
    return map;
  });

  protected toggle(commandId: string): void {
    this.expanded.update((all) => ({ ...all, [commandId]: !all[commandId] }));
  }
}
