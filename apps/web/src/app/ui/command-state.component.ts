import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CommandState } from '@vigil/shared';

/** A coloured pill for a command's state; the text is exactly the state. */
@Component({
  selector: 'vg-command-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="pill" [attr.data-state]="state()" data-testid="command-state">{{ state() }}</span>`,
  styles: `
    .pill {
      display: inline-block;
      padding: 0.05rem 0.5rem;
      border-radius: 999px;
      font-size: 0.75rem;
      font-weight: 600;
      border: 1px solid var(--border);
      color: var(--text-muted);
      background: var(--surface-2);
    }
    .pill[data-state='completed'] {
      color: var(--ok);
    }
    .pill[data-state='running'],
    .pill[data-state='accepted'] {
      color: var(--info);
    }
    .pill[data-state='failed'],
    .pill[data-state='denied'],
    .pill[data-state='interrupted'] {
      color: var(--err);
    }
    .pill[data-state='cancelled'] {
      color: var(--warn);
    }
  `,
})
export class CommandStateComponent {
  readonly state = input.required<CommandState>();
}
