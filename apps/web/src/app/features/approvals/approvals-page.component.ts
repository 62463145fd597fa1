import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { PendingApproval } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { describeHttpError } from '../../core/http-error';
import { SessionService } from '../../core/session.service';
import { approvalRows, approvalsKey } from './approval-rows';
import { ApprovalsApiService } from './approvals-api.service';

/**
 * Commands awaiting a second person's approval: who asked, what, where, until when,
 * with Approve / Reject for approvers (Withdraw for the requester). The list is
 * reloaded whenever the live stream folds an approval event in.
 */
@Component({
  selector: 'vg-approvals-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './approvals-page.component.html',
  styleUrl: './approvals-page.component.css',
})
export class ApprovalsPageComponent {
  private readonly api = inject(ApprovalsApiService);
  private readonly session = inject(SessionService);
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly snackBar = inject(MatSnackBar);
  private readonly environments = inject(EnvironmentService);

  private readonly items = signal<readonly PendingApproval[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);

  protected readonly rows = computed(() => {
    const shown = this.environments.selected();
    const items = this.items().filter((item) => shown === undefined || item.environment === shown);
    return approvalRows(items, this.session.user());
  });

  private readonly key = computed(() => approvalsKey(this.source.state().commands));

  constructor() {
    effect(() => {
      this.key();
      untracked(() => {
        this.load();
      });
    });
  }

  private load(): void {
    this.api.pending().subscribe({
      next: (items) => {
        this.items.set(items);
        this.loaded.set(true);
        this.error.set(null);
      },
      error: (error: unknown) => {
        this.error.set(describeHttpError(error));
      },
    });
  }

  protected async decide(item: PendingApproval, verb: 'approve' | 'reject'): Promise<void> {
    if (this.busy() !== null) return;
    this.busy.set(item.commandId);
    try {
      await firstValueFrom(this.api.decide(item.commandId, verb));
      this.snackBar.open(`${verb === 'approve' ? 'Approved' : 'Rejected'}: ${item.type} ${item.target} in ${item.environment}`, 'OK', {
        duration: 4000,
      });
      this.load();
    } catch (error) {
      this.snackBar.open(describeHttpError(error), 'OK', { duration: 6000 });
      this.load();
    } finally {
      this.busy.set(null);
    }
  }
}
