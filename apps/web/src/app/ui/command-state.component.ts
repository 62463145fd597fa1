import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CommandState } from '@vigil/shared';

/** A coloured pill for a command's state; the text is exactly the state. */
@Component({
  selector: 'vg-command-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './command-state.component.html',
  styleUrl: './command-state.component.css',
})
export class CommandStateComponent {
  readonly state = input.required<CommandState>();
}
