import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { can, type HostSummary } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { describeHttpError } from '../../core/http-error';
import { injectReadOnlyReason } from '../../core/read-only';
import { SessionService } from '../../core/session.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../ui/confirm-dialog.component';
import { agentCommand, hostNameError, parseLabels } from './host-form';
import { HostsApiService } from './hosts-api.service';

/**
 * Hosts (`/hosts`, `hosts.manage`): the enrolled agent hosts with their status, last
 * word, agent version, labels and services; enrol one (its token shown once, with the
 * exact command to start the agent there) and revoke one. Reloaded on every host.* event.
 */
@Component({
  selector: 'vg-hosts-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './hosts-page.component.html',
  styleUrl: './hosts-page.component.css',
})
export class HostsPageComponent {
  private readonly api = inject(HostsApiService);
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly session = inject(SessionService);
  private readonly dialog = inject(MatDialog);
  protected readonly readOnly = injectReadOnlyReason();

  protected readonly hosts = signal<HostSummary[]>([]);
  /** Changes only when a host.* event is folded (metrics keep the same object). */
  private readonly streamHosts = computed(() => this.source.state().hosts);
  protected readonly loadError = signal<string | null>(null);
  protected readonly canManage = computed(
    () => !this.readOnly() && can(this.session.user(), { kind: 'capability', capability: 'hosts.manage' }),
  );

  protected readonly name = signal('');
  protected readonly labels = signal('');
  protected readonly formError = signal<string | null>(null);
  protected readonly busy = signal(false);
  /** The enrolment just made: its token is shown this once. */
  protected readonly enrolled = signal<{ name: string; command: string } | null>(null);
  protected readonly copied = signal(false);
  protected readonly message = signal<string | null>(null);

  constructor() {
    // Every host.* event moves the stream's hosts: reload the list (status, last seen, services).
    effect(() => {
      this.streamHosts();
      untracked(() => {
        this.reload();
      });
    });
    inject(DestroyRef).onDestroy(() => {
      this.enrolled.set(null);
    });
  }

  protected reload(): void {
    this.api.list().subscribe({
      next: (hosts) => {
        this.hosts.set(hosts);
        this.loadError.set(null);
      },
      error: (error: unknown) => {
        this.loadError.set(describeHttpError(error));
      },
    });
  }

  protected labelsText(host: HostSummary): string {
    return Object.entries(host.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
  }

  protected servicesText(host: HostSummary): string {
    return host.services.map((service) => `${service.service} (${service.environment})`).join(', ') || '—';
  }

  protected async enrol(): Promise<void> {
    if (!this.canManage() || this.busy()) return;
    const name = this.name().trim();
    const nameProblem = hostNameError(name);
    const labels = parseLabels(this.labels());
    if (nameProblem || typeof labels === 'string') {
      this.formError.set(nameProblem ?? (labels as string));
      return;
    }
    this.formError.set(null);
    this.busy.set(true);
    try {
      const enrolment = await firstValueFrom(this.api.enrol(name, labels));
      this.enrolled.set({ name: enrolment.name, command: agentCommand(window.location.origin, enrolment.name, enrolment.token) });
      this.copied.set(false);
      this.name.set('');
      this.labels.set('');
      this.reload();
    } catch (error) {
      this.formError.set(describeHttpError(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async copyCommand(): Promise<void> {
    const enrolled = this.enrolled();
    if (!enrolled) return;
    try {
      await navigator.clipboard.writeText(enrolled.command);
      this.copied.set(true);
    } catch {
      this.copied.set(false);
    }
  }

  protected async revoke(host: HostSummary): Promise<void> {
    if (!this.canManage()) return;
    const data: ConfirmDialogData = {
      title: 'Revoke host',
      message: `Revoke ${host.name}? Its agent is cut off at once and its token stops working.`,
      confirmLabel: 'Revoke',
    };
    const ref = this.dialog.open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, {
      data,
      panelClass: 'vg-dialog-panel',
      ariaLabel: data.message,
      autoFocus: 'dialog',
    });
    if (!(await firstValueFrom(ref.afterClosed()))) return;
    try {
      await firstValueFrom(this.api.revoke(host.name));
      this.message.set(`${host.name} revoked`);
      this.reload();
    } catch (error) {
      this.message.set(describeHttpError(error));
    }
  }
}
