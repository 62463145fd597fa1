import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { can, silencesAt, type Action } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { AlertRulesService } from '../../core/alert-rules.service';
import { describeHttpError } from '../../core/http-error';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { injectReadOnlyReason } from '../../core/read-only';
import { SessionService } from '../../core/session.service';
import { describeMatchers } from './alert-list';
import { AlertsApiService } from './alerts-api.service';
import { DEFAULT_SILENCE_DURATION, SILENCE_DURATIONS, silenceUntil } from './silence-durations';
import { formMatchers } from './silence-form';
import { SilencesService } from './silences.service';

const ACK: Action = { kind: 'capability', capability: 'alerts.ack' };

/**
 * Matcher silences on the alerts page: each one with what it matches, who made it,
 * why, and whether it is in force at the page's clock; and, for `alerts.ack` outside
 * replay and kiosk, a form to make one (maintenance windows, noisy rules).
 */
@Component({
  selector: 'vg-silences-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './silences-panel.component.html',
  styleUrl: './silences-panel.component.css',
})
export class SilencesPanelComponent {
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly session = inject(SessionService);
  private readonly api = inject(AlertsApiService);
  private readonly silences = inject(SilencesService);
  private readonly alertRules = inject(AlertRulesService);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly environments = inject(EnvironmentService);

  protected readonly durations = SILENCE_DURATIONS;
  protected readonly describe = describeMatchers;

  protected readonly rule = signal('');
  protected readonly environment = signal('');
  protected readonly label = signal('');
  protected readonly durationIndex = signal(SILENCE_DURATIONS.indexOf(DEFAULT_SILENCE_DURATION));
  protected readonly reason = signal('');
  protected readonly sending = signal(false);
  protected readonly formError = signal<string | null>(null);

  private readonly readOnly = injectReadOnlyReason();
  protected readonly mayAct = computed(() => this.readOnly() === null && can(this.session.user(), ACK));
  protected readonly ruleNames = computed(() => this.alertRules.rules().map((rule) => rule.name));

  /** In force first, then newest first; each judged at the page's clock. */
  protected readonly rows = computed(() => {
    const now = this.source.now();
    return silencesAt(this.silences.silences(), now).map((silence) => ({ ...silence, upcoming: Date.parse(silence.createdAt) > now }));
  });

  constructor() {
    // Rule names for the form's suggestions (the same rules the cards use); no form in a replay.
    effect(() => {
      if (this.source.mode === 'live') this.alertRules.follow(this.source);
    });
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.sending() || !this.mayAct()) return;
    const parsed = formMatchers(this.rule(), this.environment(), this.label());
    if ('error' in parsed) {
      this.formError.set(parsed.error);
      return;
    }
    const reason = this.reason().trim();
    if (reason === '') {
      this.formError.set('Say why (the reason is kept in the log).');
      return;
    }
    const duration = SILENCE_DURATIONS[this.durationIndex()] ?? DEFAULT_SILENCE_DURATION;
    this.formError.set(null);
    this.sending.set(true);
    try {
      const made = await firstValueFrom(this.api.silenceMatching(parsed.matchers, silenceUntil(duration, Date.now()), reason));
      this.snackBar.open(`Silenced ${describeMatchers(made.matchers)} for ${duration.label}.`, 'Dismiss', { duration: 5_000 });
      this.rule.set('');
      this.label.set('');
      this.reason.set('');
      this.silences.reload();
    } catch (error) {
      this.formError.set(describeHttpError(error));
    } finally {
      this.sending.set(false);
    }
  }
}
