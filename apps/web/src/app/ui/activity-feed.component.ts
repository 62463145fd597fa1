import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import type { CommandView } from '@vigil/shared';
import { activityRow } from './activity-row';
import { CommandStateComponent } from './command-state.component';

/** Commands, newest first: who ran what on which target, its state and how long it took; output on demand. */
@Component({
  selector: 'vg-activity-feed',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CommandStateComponent],
  templateUrl: './activity-feed.component.html',
  styleUrl: './activity-feed.component.css',
})
export class ActivityFeedComponent {
  readonly commands = input.required<readonly CommandView[]>();
  /** Epoch ms that running durations are measured to. */
  readonly now = input.required<number>();
  /** "Show output" buttons; off on a wall display (kiosk), where nobody clicks. */
  readonly outputToggles = input(true);

  protected readonly rows = computed(() => this.commands().map((command) => activityRow(command, this.now())));
  protected readonly expanded = signal<Record<string, boolean>>({});
  /** The output of each expanded command, one line per output line. */
  protected readonly outputs = computed(() => {
    const open = this.expanded();
    const texts: Partial<Record<string, string>> = {};
    for (const command of this.commands()) {
      if (open[command.commandId]) texts[command.commandId] = command.output.map((line) => line.text).join('\n');
    }
    return texts;
  });

  protected toggle(commandId: string): void {
    this.expanded.update((all) => ({ ...all, [commandId]: !all[commandId] }));
  }
}
