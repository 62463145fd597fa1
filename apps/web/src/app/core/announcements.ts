import { isTerminalCommandState, type AlertView, type CommandView } from '@vigil/shared';

/** What has been seen: the announcer speaks only about what changed since. */
export interface AnnouncedState {
  commands: Map<string, string>;
  alerts: Set<string>;
}

export function emptyAnnounced(): AnnouncedState {
  return { commands: new Map(), alerts: new Set() };
}

/**
 * The sentences a screen reader should hear for this state: commands that have just
 * ended, alerts that have just started firing. The first call (`baseline`) only
 * records what is there, so opening a page does not read out the past.
 */
export function announcementsFor(
  seen: AnnouncedState,
  commands: readonly CommandView[],
  alerts: readonly AlertView[],
  baseline: boolean,
): string[] {
  const said: string[] = [];
  for (const command of commands) {
    const before = seen.commands.get(command.commandId);
    seen.commands.set(command.commandId, command.state);
    if (baseline || before === command.state || !isTerminalCommandState(command.state)) continue;
    said.push(`Command ${command.type} on ${command.target} in ${command.environment} ${command.state}.`);
  }
  for (const alert of alerts) {
    if (alert.state !== 'firing' || seen.alerts.has(alert.alertId)) continue;
    seen.alerts.add(alert.alertId);
    if (!baseline)
      said.push(`Alert firing: ${alert.rule} on ${alert.source}${alert.environment ? ` in ${alert.environment}` : ''}, ${alert.severity}.`);
  }
  return said;
}
