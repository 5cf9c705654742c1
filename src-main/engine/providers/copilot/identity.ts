/**
 * The editor identity Copilot's API expects on every call (the VS Code Copilot Chat extension's
 * headers). `Copilot-Integration-Id: vscode-chat` is what unlocks the chat models.
 */
export const COPILOT_EDITOR_VERSION = 'vscode/1.104.1';
export const COPILOT_PLUGIN_VERSION = 'copilot-chat/0.31.3';
export const COPILOT_USER_AGENT = 'GitHubCopilotChat/0.31.3';

/** The public OAuth client id the editors' Copilot sign-in uses (GitHub device flow). */
export const GITHUB_CLIENT_ID = 'Iv1.b507a08c87ecfe98';

export const GITHUB_ORIGIN = 'https://github.com';
export const GITHUB_API = 'https://api.github.com';
export const COPILOT_API = 'https://api.githubcopilot.com';

/** Identity headers for GitHub's own API (token exchange, quota). */
export function githubApiHeaders(githubToken: string): Record<string, string> {
  return {
    authorization: `token ${githubToken}`,
    accept: 'application/json',
    'editor-version': COPILOT_EDITOR_VERSION,
    'editor-plugin-version': COPILOT_PLUGIN_VERSION,
    'user-agent': COPILOT_USER_AGENT,
    'x-github-api-version': '2025-04-01',
  };
}

/** Identity headers for the Copilot API (chat, responses, models). */
export function copilotApiHeaders(copilotToken: string, intent = 'conversation-panel'): Record<string, string> {
  return {
    authorization: `Bearer ${copilotToken}`,
    'editor-version': COPILOT_EDITOR_VERSION,
    'editor-plugin-version': COPILOT_PLUGIN_VERSION,
    'copilot-integration-id': 'vscode-chat',
    'user-agent': COPILOT_USER_AGENT,
    'openai-intent': intent,
    'x-github-api-version': '2025-04-01',
  };
}
