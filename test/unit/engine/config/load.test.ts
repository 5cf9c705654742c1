import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../../src-main/engine/config/load';
import { defaultConfigYaml } from '../../../../src-main/engine/config/default-config';

describe('config loading', () => {
  it('the commented default config is valid and gives the documented defaults', () => {
    const { config, warnings } = parseConfig(defaultConfigYaml, 'config.yaml');
    expect(warnings).toEqual([]);
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8317);
    expect(config.routing.strategy).toBe('round-robin');
    expect(config['request-retry']).toBe(3);
    expect(config['usage-sqlite'].enable).toBe(true);
  });

  it('loads a CLIProxyAPI config unchanged, warning about keys it does not use', () => {
    const text = [
      'port: 8317',
      'auth-dir: "~/.cli-proxy-api"',
      'tls:',
      '  enable: false',
      'ampcode:',
      '  upstream-url: https://ampcode.com',
      'gemini-api-key:',
      '  - api-key: AIzaSy-test',
      '    prefix: g',
      'openai-compatibility:',
      '  - name: openrouter',
      '    base-url: https://openrouter.ai/api/v1',
      '    api-key-entries:',
      '      - api-key: sk-or-1',
      '    models:',
      '      - name: moonshotai/kimi-k2',
      '        alias: kimi',
    ].join('\n');
    const { config, warnings } = parseConfig(text, '/etc/cpa/config.yaml');
    expect(config['gemini-api-key'][0].prefix).toBe('g');
    expect(config['openai-compatibility'][0].models?.[0]).toEqual({ name: 'moonshotai/kimi-k2', alias: 'kimi' });
    expect(warnings).toEqual(['/etc/cpa/config.yaml:5: unknown key "ampcode" is ignored']);
  });

  it('warns that the quota-exceeded switches are not supported when a file turns them off', () => {
    const text = ['port: 8317', 'quota-exceeded:', '  switch-project: false', '  switch-preview-model: false'].join('\n');
    const { config, warnings } = parseConfig(text, '/etc/cpa/config.yaml');
    expect(config['quota-exceeded']).toEqual({ 'switch-project': false, 'switch-preview-model': false });
    expect(warnings).toEqual([
      '/etc/cpa/config.yaml:3: quota-exceeded.switch-project is not supported by Switchyard yet; quota failures fail over to the next account instead',
      '/etc/cpa/config.yaml:4: quota-exceeded.switch-preview-model is not supported by Switchyard yet; quota failures fail over to the next account instead',
    ]);
    // CLIProxyAPI's own default (both true) is what Switchyard does anyway: no warning.
    expect(parseConfig('quota-exceeded:\n  switch-project: true\n  switch-preview-model: true\n', 'c.yaml').warnings).toEqual([]);
  });

  it('names the file, the line, the key path and the reason of a bad value', () => {
    const text = 'port: 8317\nrouting:\n  strategy: random\n';
    try {
      parseConfig(text, 'c.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('c.yaml:3');
      expect(msg).toContain('routing.strategy');
      expect(msg).toMatch(/round-robin/);
    }
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseConfig('port: 1\nhost: [unclosed\n', 'c.yaml')).toThrow(/c\.yaml:\d+: .*YAML syntax/);
  });

  it('refuses a non-loopback host without api-keys', () => {
    expect(() => parseConfig('host: 0.0.0.0\n', 'c.yaml')).toThrow(/not a loopback address; set api-keys/);
    expect(parseConfig('host: 0.0.0.0\napi-keys: [k]\n', 'c.yaml').config.host).toBe('0.0.0.0');
  });

  it('validates openai-compatibility entries', () => {
    expect(() => parseConfig('openai-compatibility:\n  - base-url: not a url\n    api-key: k\n', 'c.yaml')).toThrow(
      /openai-compatibility\[0\]\.base-url: "not a url" is not a URL/,
    );
    expect(() => parseConfig('openai-compatibility:\n  - base-url: http://x/v1\n', 'c.yaml')).toThrow(/needs api-key/);
  });

  it('host-overrides must map origins to origins', () => {
    expect(parseConfig('host-overrides:\n  "https://api.openai.com": "http://127.0.0.1:9"\n', 'c').config['host-overrides']).toEqual({
      'https://api.openai.com': 'http://127.0.0.1:9',
    });
    expect(() => parseConfig('host-overrides:\n  "https://a.b/path": "http://127.0.0.1:9"\n', 'c')).toThrow(/must be an origin/);
  });
});
