// In the page: the time from a `command.completed` message arriving on the app's
// EventSource to the command's activity row showing `completed` in the DOM (and to
// the next animation frame after that). Installed before the app's scripts run.

/** Page source (an init script): records arrival and row times by command id in window.__rowLatency. */
export const COMMAND_ROW_LATENCY_SCRIPT = `(() => {
  const record = { arrived: {}, shown: {}, frame: {} };
  window.__rowLatency = record;
  const Native = window.EventSource;
  // Added in the constructor, so this listener runs before the app's onmessage handler.
  window.EventSource = class extends Native {
    constructor(url, init) {
      super(url, init);
      this.addEventListener('message', (event) => {
        const at = performance.now();
        if (!event.data.includes('"command.completed"')) return;
        try {
          const message = JSON.parse(event.data);
          if (message.type === 'command.completed') record.arrived[message.data.commandId] = at;
        } catch {}
      });
    }
  };
  const observe = () => new MutationObserver(() => {
    const at = performance.now();
    for (const row of document.querySelectorAll('[data-testid=activity-row][data-state=completed]')) {
      const id = row.getAttribute('data-command-id');
      if (!id || id in record.shown) continue;
      record.shown[id] = at;
      requestAnimationFrame(() => { record.frame[id] = performance.now(); });
    }
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  if (document.documentElement) observe(); else document.addEventListener('DOMContentLoaded', observe);
})();`;

/** Latencies (ms) for the given command ids, or null for ids not (yet) both arrived and shown. */
export async function rowLatencies(page, commandIds) {
  const record = await page.evaluate('window.__rowLatency');
  return commandIds.map((id) => {
    const arrived = record.arrived[id];
    const shown = record.shown[id];
    const frame = record.frame[id];
    if (arrived === undefined || shown === undefined || frame === undefined) return null;
    return { dom: shown - arrived, frame: frame - arrived };
  });
}
