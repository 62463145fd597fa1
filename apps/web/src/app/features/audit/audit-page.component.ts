import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Placeholder until this feature is built (work in progress in this commit series). */
@Component({
  selector: 'vg-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p>Audit</p>`,
})
export class AuditPageComponent {}
