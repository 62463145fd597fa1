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
  template: `
    <section class="panel" aria-labelledby="silences-title" data-testid="silences-panel">
      <h2 id="silences-title">Silences</h2>
      @if (mayAct()) {
        <form class="new" aria-label="New silence" data-testid="silence-form" (submit)="submit($event)">
          <label for="silence-rule">Rule</label>
          <input
            id="silence-rule"
            data-testid="silence-rule"
            list="silence-rule-names"
            maxlength="63"
            [value]="rule()"
            (input)="rule.set($any($event.target).value)"
          />
          <datalist id="silence-rule-names">
            @for (name of ruleNames(); track name) {
              <option [value]="name"></option>
            }
          </datalist>
          <label for="silence-environment">Environment</label>
          <select id="silence-environment" data-testid="silence-environment" (change)="environment.set($any($event.target).value)">
            <option value="" [selected]="environment() === ''">Any</option>
            @for (name of environments.viewable(); track name) {
              <option [value]="name" [selected]="environment() === name">{{ name }}</option>
            }
          </select>
          <label for="silence-label">Label</label>
          <input
            id="silence-label"
            data-testid="silence-label"
            placeholder="key=value"
            [value]="label()"
            (input)="label.set($any($event.target).value)"
          />
          <label for="silence-duration">For</label>
          <select id="silence-duration" data-testid="silence-duration-select" (change)="durationIndex.set(+$any($event.target).value)">
            @for (choice of durations; track choice.ms; let i = $index) {
              <option [value]="i" [selected]="durationIndex() === i">{{ choice.label }}</option>
            }
          </select>
          <label for="silence-reason">Reason</label>
          <input
            id="silence-reason"
            data-testid="silence-reason"
            maxlength="500"
            aria-required="true"
            [value]="reason()"
            (input)="reason.set($any($event.target).value)"
          />
          <button type="submit" class="primary" data-testid="silence-submit" [disabled]="sending()">
            {{ sending() ? 'Silencing…' : 'Silence matching alerts' }}
          </button>
          @if (formError(); as problem) {
            <p class="error" role="alert" data-testid="silence-form-error">{{ problem }}</p>
          }
        </form>
      }
      @if (rows().length === 0) {
        <p class="muted" data-testid="silences-empty">No matcher silences.</p>
      } @else {
        <ul class="list">
          @for (row of rows(); track row.silenceId) {
            <li data-testid="silence-row" [attr.data-silence-id]="row.silenceId" [attr.data-active]="row.active ? 'true' : 'false'">
              <span class="state" [class.active]="row.active">{{ row.active ? 'In force' : row.upcoming ? 'Not yet made' : 'Ended' }}</span>
              <span class="what" data-testid="silence-matchers">{{ describe(row.matchers) }}</span>
              <span class="who"
                >by {{ row.by }}: <q>{{ row.reason }}</q></span
              >
              <span class="when">
                <time [attr.datetime]="row.createdAt">{{ row.createdAt | date: 'yyyy-MM-dd HH:mm' }}</time> –
                <time [attr.datetime]="row.until">{{ row.until | date: 'yyyy-MM-dd HH:mm' }}</time>
              </span>
            </li>
          }
        </ul>
      }
    </section>
  `,
  styles: `
    .panel {
      display: grid;
      gap: 0.75rem;
    }
    h2 {
      margin: 0;
      font-size: 1.05rem;
    }
    .new {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem 0.6rem;
      align-items: center;
    }
    .new label {
      font-size: 0.85rem;
      color: var(--text-muted);
    }
    .new input,
    .new select {
      font: inherit;
      font-size: 0.875rem;
      padding: 0.3rem 0.5rem;
      border-radius: 6px;
      border: 1px solid var(--border);
      background: var(--surface-2);
      color: var(--text);
    }
    .error {
      flex-basis: 100%;
      margin: 0;
      color: var(--err);
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.35rem;
    }
    .list li {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      font-size: 0.875rem;
    }
    .state {
      font-weight: 600;
      color: var(--text-muted);
    }
    .state.active {
      color: var(--warn);
    }
    .muted {
      color: var(--text-muted);
      margin: 0;
    }
  `,
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
