/** The enrol form's rules, as the API's schema has them (the web app has no schema library). */
const HOST_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const LABEL_KEY = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export function hostNameError(value: string): string | null {
  if (!value.trim()) return 'Enter a host name.';
  return HOST_NAME.test(value.trim()) ? null : 'Lowercase letters, digits, "-" and "_" (up to 63).';
}

/** "rack=r1, zone=eu" → labels; a string saying what is wrong otherwise. */
export function parseLabels(value: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const part of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!LABEL_KEY.test(key)) return `"${part}" is not key=value (keys: lowercase letters, digits, ".", "_", "-")`;
    labels[key] = part.slice(eq + 1).trim();
  }
  return Object.keys(labels).length > 20 ? 'At most 20 labels.' : labels;
}

/** The one command to run on the enrolled host (the token goes in the environment, never in `ps`). */
export function agentCommand(origin: string, name: string, token: string): string {
  return `VIGIL_AGENT_TOKEN=${token} npm run vigil -- agent --server ${origin} --name ${name} --config vigil-agent.yaml`;
}
