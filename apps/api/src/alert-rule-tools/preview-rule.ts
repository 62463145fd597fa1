import type { AlertRule, AlertRulePreview, PreviewFiring } from '@vigil/shared';
import { AlertEvaluator, type AlertEffect } from '../alerts/alert-evaluator';
import type { ReplayItem } from '../replay/replay-source';

/** How often the preview's clock ticks between samples (absent rules and restart loops need the clock). */
const TICK_MS = 1000;

/**
 * Judges a draft rule against a past window with the live evaluator itself (a fresh
 * one, so nothing live is touched): every sample and service event of the window in
 * time order, the clock ticking between them, and the raises and resolves it would
 * have made collected as firings. No I/O: the caller hands it the window's items.
 */
export async function previewRule(rule: AlertRule, items: AsyncIterable<ReplayItem>, from: Date, to: Date): Promise<AlertRulePreview> {
  let next = 0;
  const evaluator = new AlertEvaluator(() => `preview-${++next}`);
  const rules = [rule];
  const open = new Map<string, PreviewFiring>();
  const firings: PreviewFiring[] = [];
  let samples = 0;
  let events = 0;
  let clock = from.getTime();

  const take = (effects: AlertEffect[]): void => {
    for (const effect of effects) {
      if (effect.kind === 'raise') {
        const { data } = effect;
        const firing: PreviewFiring = {
          source: data.source,
          ...(data.environment === undefined ? {} : { environment: data.environment }),
          raisedAt: data.startedAt,
          value: data.value,
          message: data.message,
        };
        open.set(data.alertId, firing);
        firings.push(firing);
      } else {
        const firing = open.get(effect.data.alertId);
        if (firing) firing.resolvedAt = effect.data.resolvedAt;
        open.delete(effect.data.alertId);
      }
    }
  };
  const tickUntil = (time: number): void => {
    while (clock + TICK_MS <= time) {
      clock += TICK_MS;
      take(evaluator.onTick(clock, rules));
    }
  };

  for await (const item of items) {
    if (item.kind === 'metrics') {
      const time = Date.parse(item.sample.time);
      tickUntil(time);
      samples += 1;
      take(evaluator.onSample({ ...item.sample, time }, rules));
    } else if (item.event.type === 'service.exited' || item.event.type === 'service.started') {
      tickUntil(Date.parse(item.event.time));
      events += 1;
      take(evaluator.onServiceEvent(item.event, rules));
    }
  }
  tickUntil(to.getTime());
  return { from: from.toISOString(), to: to.toISOString(), samples, events, firings };
}
