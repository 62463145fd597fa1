import { agentCommand, hostNameError, parseLabels } from './host-form';

describe('host form', () => {
  it('checks names and labels as the API does', () => {
    expect(hostNameError('web-1')).toBeNull();
    expect(hostNameError('Web 1')).toContain('Lowercase');
    expect(parseLabels('rack=r1, zone = eu')).toEqual({ rack: 'r1', zone: 'eu' });
    expect(typeof parseLabels('nonsense')).toBe('string');
    expect(parseLabels('')).toEqual({});
  });

  it('gives the exact agent command with the token in the environment', () => {
    expect(agentCommand('https://vigil.example', 'web-1', 'vgh_x')).toBe(
      'VIGIL_AGENT_TOKEN=vgh_x npm run vigil -- agent --server https://vigil.example --name web-1 --config vigil-agent.yaml',
    );
  });
});
