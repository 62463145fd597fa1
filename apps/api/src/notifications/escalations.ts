/**
 * Which unacknowledged alerts are due to go to the next targets. Pure and driven
 * by the clock it is given (the alert evaluator's), so tests move time instead of
 * sleeping. One plan per alert: the escalation steps of every route it matched.
 */
export interface EscalationStep {
  afterMinutes: number;
  targets: string[];
}

interface Plan {
  firedAt: number;
  steps: EscalationStep[];
  /** Steps already sent, by index. */
  done: Set<number>;
}

export interface DueEscalation {
  alertId: string;
  step: number;
  afterMinutes: number;
  targets: string[];
}

export class Escalations {
  private readonly plans = new Map<string, Plan>();

  /** A firing alert with the steps of its routes (none: nothing to plan). */
  plan(alertId: string, firedAt: number, steps: EscalationStep[]): void {
    if (steps.length === 0) return;
    this.plans.set(alertId, { firedAt, steps: [...steps].sort((a, b) => a.afterMinutes - b.afterMinutes), done: new Set() });
  }

  /** Acknowledged or resolved: no further step. */
  stop(alertId: string): void {
    this.plans.delete(alertId);
  }

  get size(): number {
    return this.plans.size;
  }

  /** The steps due at `now` that were not sent yet; marks them sent. */
  due(now: number): DueEscalation[] {
    const out: DueEscalation[] = [];
    for (const [alertId, plan] of this.plans) {
      plan.steps.forEach((step, index) => {
        if (plan.done.has(index) || plan.firedAt + step.afterMinutes * 60_000 > now) return;
        plan.done.add(index);
        out.push({ alertId, step: index, afterMinutes: step.afterMinutes, targets: step.targets });
      });
      if (plan.done.size === plan.steps.length) this.plans.delete(alertId);
    }
    return out;
  }
}
