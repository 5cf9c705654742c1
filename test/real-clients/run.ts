import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PONG_PROMPT, runCli, TOOL_PROMPT, type CliRun, type Scratch } from './clients';

/**
 * How each CLI is pointed at Switchyard offline (see the shared real-clients reference): the
 * settings that stop their own telemetry and update traffic, capped retries, and the tool
 * permission each needs to read marker.txt without a prompt.
 */
export type Turn = 'pong' | 'tool';

export function runClaude(cmd: string[], s: Scratch, o: { baseUrl: string; model: string; turn: Turn }): Promise<CliRun> {
  const args = ['-p', o.turn === 'tool' ? TOOL_PROMPT : PONG_PROMPT, '--output-format', 'text', '--no-session-persistence'];
  if (o.turn === 'tool') args.push('--allowedTools', 'Bash(cat:*) Read');
  return runCli(cmd, args, {
    cwd: s.work,
    env: {
      HOME: s.home,
      ANTHROPIC_BASE_URL: o.baseUrl,
      ANTHROPIC_API_KEY: 'sk-client-claude',
      ANTHROPIC_MODEL: o.model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-4-5',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_BUG_COMMAND: '1',
      DISABLE_NON_ESSENTIAL_MODEL_CALLS: '1',
      CLAUDE_CODE_MAX_RETRIES: '1',
    },
  });
}

/**
 * Codex with a custom provider (`wire_api = "responses"`, HTTP) or with the built-in provider
 * aimed at Switchyard (`openai_base_url`), which opens Responses over WebSocket first.
 */
export async function runCodex(cmd: string[], s: Scratch, o: { baseUrl: string; model: string; turn: Turn; provider: 'custom' | 'builtin' }): Promise<CliRun> {
  const codexHome = path.join(s.home, '.codex');
  await mkdir(codexHome, { recursive: true });
  // TOML: top-level keys first, then the tables.
  const top = [`model = "${o.model}"`, 'check_for_update_on_startup = false'];
  const tables = ['[analytics]', 'enabled = false', '', '[features]', 'plugins = false', 'apps = false', 'unbounded_connection_retries = false', ''];
  if (o.provider === 'custom') {
    top.push('model_provider = "switchyard"');
    tables.push(
      '[model_providers.switchyard]',
      'name = "Switchyard"',
      `base_url = "${o.baseUrl}/v1"`,
      'env_key = "SWITCHYARD_API_KEY"',
      'wire_api = "responses"',
      'request_max_retries = 1',
      'stream_max_retries = 1',
      '',
    );
  } else {
    top.push(`openai_base_url = "${o.baseUrl}/v1"`);
  }
  await writeFile(path.join(codexHome, 'config.toml'), [...top, '', ...tables].join('\n'));
  return runCli(cmd, ['exec', '--skip-git-repo-check', '--ephemeral', '--color', 'never', '-C', s.work, o.turn === 'tool' ? TOOL_PROMPT : PONG_PROMPT], {
    cwd: s.work,
    env: { HOME: s.home, CODEX_HOME: codexHome, SWITCHYARD_API_KEY: 'sk-client-codex', CODEX_API_KEY: 'sk-client-codex' },
  });
}

export async function runGemini(cmd: string[], s: Scratch, o: { baseUrl: string; model: string; turn: Turn }): Promise<CliRun> {
  const dir = path.join(s.home, '.gemini');
  await mkdir(dir, { recursive: true });
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
    privacy: { usageStatisticsEnabled: false },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false, maxAttempts: 1 },
    telemetry: { enabled: false },
  };
  await writeFile(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  return runCli(cmd, ['-p', o.turn === 'tool' ? TOOL_PROMPT : PONG_PROMPT, '-m', o.model, '--output-format', 'text'], {
    cwd: s.work,
    env: { HOME: s.home, GEMINI_API_KEY: 'sk-client-gemini', GOOGLE_GEMINI_BASE_URL: o.baseUrl },
  });
}
