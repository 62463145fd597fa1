import { LiveAnnouncer } from '@angular/cdk/a11y';
import { Directive, effect, inject, untracked } from '@angular/core';
import { announcementsFor, emptyAnnounced } from '../../core/announcements';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';

/**
 * Tells screen readers, politely, when a command ends and when an alert starts
 * firing, on every page of the signed-in frame (live only: a replay is read, not
 * announced). On the frame's <main>; the CDK's live region does the speaking.
 */
@Directive({ selector: '[vgLiveAnnouncements]' })
export class LiveAnnouncementsDirective {
  private readonly announcer = inject(LiveAnnouncer);
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly seen = emptyAnnounced();
  private baseline = true;

  constructor() {
    effect(() => {
      if (this.source.mode !== 'live') return;
      const state = this.source.state();
      untracked(() => {
        // Until the first snapshot has arrived, everything is "already there".
        const said = announcementsFor(this.seen, state.commands, state.alerts, this.baseline || state.position === 0);
        if (state.position > 0) this.baseline = false;
        if (said.length > 0) void this.announcer.announce(said.join(' '), 'polite');
      });
    });
  }
}
