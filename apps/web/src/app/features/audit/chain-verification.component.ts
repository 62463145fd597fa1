import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import type { Subscription } from 'rxjs';
import { describeHttpError } from '../../core/http-error';
import { AuditApiService, type ChainVerification } from './audit-api.service';

/** The hash chain's verification (GET /api/audit/verify) on opening, and again on demand. */
@Component({
  selector: 'vg-chain-verification',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './chain-verification.component.html',
  styleUrl: './chain-verification.component.css',
})
export class ChainVerificationComponent {
  private readonly api = inject(AuditApiService);

  protected readonly result = signal<ChainVerification | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly checking = signal(false);
  private running?: Subscription;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.running?.unsubscribe());
    this.verify();
  }

  protected verify(): void {
    this.running?.unsubscribe();
    this.checking.set(true);
    this.error.set(null);
    this.running = this.api.verify().subscribe({
      next: (result) => {
        this.result.set(result);
        this.checking.set(false);
      },
      error: (error: unknown) => {
        this.result.set(null);
        this.error.set(describeHttpError(error));
        this.checking.set(false);
      },
    });
  }
}
