import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Placeholder until this feature is built (work in progress in this commit series). */
@Component({
  selector: 'vg-replay-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p>Replay</p>`,
})
export class ReplayPageComponent {}
