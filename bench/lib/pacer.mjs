// Calls fire(i) at a fixed rate, bounded by count and by time; never overlaps waits.
export async function paced({ ratePerSecond, maxCount, maxSeconds, fire }) {
  const started = performance.now();
  const interval = 1000 / ratePerSecond;
  const inFlight = [];
  let sent = 0;
  while (sent < maxCount) {
    const now = performance.now();
    if (now - started > maxSeconds * 1000) break;
    const due = Math.min(maxCount, Math.floor((now - started) / interval) + 1);
    while (sent < due) inFlight.push(fire(sent++));
    const wait = started + sent * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const settled = await Promise.allSettled(inFlight);
  const errors = settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason));
  return { sent, errors, seconds: (performance.now() - started) / 1000 };
}
