import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { can, type AlertRule, type AlertRuleChange, type AlertRulePreview, type NotificationTargetSummary } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { describeHttpError } from '../../core/http-error';
import { latestPositionOf } from '../../core/recent-events';
import { SessionService } from '../../core/session.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../ui/confirm-dialog.component';
import { AlertRulesApiService } from './alert-rules-api.service';
import {
  bodyOf,
  draftErrors,
  draftOf,
  emptyDraft,
  KIND_FIELDS,
  originOf,
  SEVERITY_CHOICES,
  type RuleDraft,
  type RuleKind,
} from './rule-draft';

/**
 * /alerts/rules: the rules in force and where each comes from; for `alerts.manage` a
 * form (checked with the shared schema before sending) to create, edit and delete,
 * a preview of the draft against the last 15 minutes, each rule's history; and the
 * notification targets with "send test message" for `notifications.test`.
 */
@Component({
  selector: 'vg-alert-rules-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './alert-rules-page.component.html',
  styleUrls: ['../../ui/page-form.css', '../../ui/data-table.css', './alert-rules-page.component.css'],
})
export class AlertRulesPageComponent {
  private readonly api = inject(AlertRulesApiService);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(SessionService);
  private readonly source = inject(DASHBOARD_SOURCE);

  protected readonly kinds: readonly RuleKind[] = ['threshold', 'absent', 'service'];
  protected readonly severities = SEVERITY_CHOICES;
  protected readonly rules = signal<readonly AlertRule[]>([]);
  protected readonly changes = signal<readonly AlertRuleChange[]>([]);
  protected readonly targets = signal<readonly NotificationTargetSummary[]>([]);
  protected readonly loadError = signal<string | null>(null);
  protected readonly status = signal('');

  protected readonly mayManage = computed(() => can(this.session.user(), { kind: 'capability', capability: 'alerts.manage' }));
  protected readonly mayTest = computed(() => can(this.session.user(), { kind: 'capability', capability: 'notifications.test' }));

  /** The rule being edited (its name), or null when the form makes a new one. */
  protected readonly editing = signal<string | null>(null);
  protected readonly draft = signal<RuleDraft>(emptyDraft());
  protected readonly fields = computed(() => KIND_FIELDS[this.draft().kind]);
  protected readonly errors = signal<Record<string, string>>({});
  protected readonly formError = signal<string | null>(null);
  protected readonly preview = signal<AlertRulePreview | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly historyOf = signal<string | null>(null);
  protected readonly history = computed(() => this.changes().filter((change) => change.name === this.historyOf()));

  protected readonly rows = computed(() => this.rules().map((rule) => ({ rule, origin: originOf(rule.name, this.changes()) })));

  constructor() {
    // Reload when a rule changes anywhere (another admin, the API): the stream says so.
    effect(() => {
      const change = latestPositionOf(this.source.state().recentEvents, 'alert-rule.changed');
      untracked(() => void this.reload(change));
    });
  }

  protected async reload(_reason?: number): Promise<void> {
    try {
      const [rules, changes, targets] = await Promise.all([
        firstValueFrom(this.api.rules()),
        firstValueFrom(this.api.changes()),
        firstValueFrom(this.api.targets()),
      ]);
      this.rules.set(rules.rules);
      this.changes.set(changes.changes);
      this.targets.set(targets);
      this.loadError.set(null);
    } catch (error) {
      this.loadError.set(describeHttpError(error));
    }
  }

  /** A field's text as typed ('' for one the draft has not got). */
  protected valueOf(key: string): string {
    return (this.draft() as Partial<RuleDraft>)[key] ?? '';
  }

  protected setField(key: string, value: string): void {
    this.draft.update((draft) =>
      key === 'kind'
        ? { ...emptyDraft(value as RuleKind), name: draft['name'] ?? '', severity: draft['severity'] ?? 'warning' }
        : { ...draft, [key]: value },
    );
    this.errors.set({});
    this.preview.set(null);
  }

  protected edit(rule: AlertRule): void {
    this.editing.set(rule.name);
    this.draft.set(draftOf(rule));
    this.errors.set({});
    this.formError.set(null);
    this.preview.set(null);
  }

  protected startNew(): void {
    this.editing.set(null);
    this.draft.set(emptyDraft());
    this.errors.set({});
    this.formError.set(null);
    this.preview.set(null);
  }

  /** The draft's body when it passes the shared schema; otherwise shows the errors and gives null. */
  private checked(): Record<string, unknown> | null {
    const errors = draftErrors(this.draft());
    this.errors.set(errors);
    if (Object.keys(errors).length > 0) {
      this.formError.set('Fix the marked fields first.');
      return null;
    }
    this.formError.set(null);
    return bodyOf(this.draft());
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    const body = this.checked();
    if (!body || this.busy()) return;
    const name = this.editing();
    this.busy.set('save');
    try {
      await firstValueFrom(name === null ? this.api.create(body) : this.api.update(name, body));
      this.status.set(`Rule ${String(body['name'])} ${name === null ? 'created' : 'saved'}.`);
      this.startNew();
      await this.reload();
    } catch (error) {
      this.formError.set(describeHttpError(error));
    } finally {
      this.busy.set(null);
    }
  }

  protected async runPreview(): Promise<void> {
    const body = this.checked();
    if (!body || this.busy()) return;
    this.busy.set('preview');
    try {
      this.preview.set(await firstValueFrom(this.api.preview(body)));
    } catch (error) {
      this.formError.set(describeHttpError(error));
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(rule: AlertRule): Promise<void> {
    const data: ConfirmDialogData = {
      title: `Delete rule ${rule.name}?`,
      message: `Its firing alerts resolve; the rule's history stays in the log.`,
      confirmLabel: 'Delete rule',
    };
    const confirmed = await firstValueFrom(
      this.dialog.open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, { data }).afterClosed(),
    );
    if (confirmed !== true) return;
    try {
      await firstValueFrom(this.api.remove(rule.name));
      this.status.set(`Rule ${rule.name} deleted.`);
      if (this.editing() === rule.name) this.startNew();
      await this.reload();
    } catch (error) {
      this.status.set(describeHttpError(error));
    }
  }

  protected toggleHistory(name: string): void {
    this.historyOf.update((shown) => (shown === name ? null : name));
  }

  protected async test(target: NotificationTargetSummary): Promise<void> {
    this.busy.set(`test:${target.name}`);
    try {
      const result = await firstValueFrom(this.api.testTarget(target.name));
      this.status.set(
        result.ok ? `Test message sent to ${target.name}.` : `Test message to ${target.name} failed: ${result.error ?? 'unknown error'}`,
      );
    } catch (error) {
      this.status.set(describeHttpError(error));
    } finally {
      this.busy.set(null);
    }
  }
}
