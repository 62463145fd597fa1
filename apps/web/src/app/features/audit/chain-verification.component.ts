import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import type { Subscription } from 'rxjs';
import { describeHttpError } from '../../core/http-error';
import { AuditApiService, type ChainVerification } from './audit-api.service';

/** The hash chain's verification (GET /api/audit/verify) on opening, and again on demand. */
@Component({
  selector: 'vg-chain-verification',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="verify" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Event log chain</h2>
      <p
        class="result"
        role="status"
        data-testid="chain-verification"
        [attr.data-ok]="result()?.ok ?? null"
        [class.ok]="result()?.ok === true"
        [class.bad]="result()?.ok === false || error() !== null"
      >
        @if (checking()) {
          Verifying…
        } @else if (error(); as message) {
          Verification failed: {{ message }}
        } @else if (result(); as r) {
          @if (r.ok) {
            Chain verified: {{ r.checked }} events, up to position {{ r.lastPosition }}.
          } @else {
            Chain broken at position {{ r.firstBadPosition }}{{ r.reason ? ': ' + r.reason : '' }} ({{ r.checked }} events checked).
          }
        }
      </p>
      <button type="button" data-testid="verify-again" [disabled]="checking()" (click)="verify()">Verify again</button>
    </section>
  `,
  styles: `
    .verify {
      display: flex;
      gap: 0.75rem;
      align-items: center;
      flex-wrap: wrap;
    }
    h2 {
      margin: 0;
      font-size: 1rem;
    }
    .result {
      margin: 0;
      font-size: 0.9rem;
      color: var(--text-muted);
    }
    .result.ok {
      color: var(--ok);
    }
    .result.bad {
      color: var(--err);
      font-weight: 600;
    }
  `,
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
