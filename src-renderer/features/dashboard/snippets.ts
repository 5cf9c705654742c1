export interface Snippet {
  id: string;
  title: string;
  text: string;
}

/**
 * Setup text per tool. `key` may be a masked placeholder for display; the copy button renders
 * again with the real key. Base URL semantics follow each tool (OpenAI-style tools want /v1).
 */
export function snippets(base: string, key: string): Snippet[] {
  return [
    { id: 'cursor', title: 'Cursor', text: `Settings → Models → OpenAI API Key\n  API key:           ${key}\n  Override base URL: ${base}/v1` },
    { id: 'claude-code', title: 'Claude Code', text: `export ANTHROPIC_BASE_URL=${base}\nexport ANTHROPIC_AUTH_TOKEN=${key}\nclaude` },
    {
      id: 'codex',
      title: 'Codex CLI',
      text: `# ~/.codex/config.toml\nmodel_provider = "switchyard"\n\n[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${base}/v1"\nenv_key = "SWITCHYARD_API_KEY"\nwire_api = "responses"\n\n# shell\nexport SWITCHYARD_API_KEY=${key}`,
    },
    { id: 'gemini-cli', title: 'Gemini CLI', text: `export GOOGLE_GEMINI_BASE_URL=${base}\nexport GEMINI_API_KEY=${key}\ngemini` },
    { id: 'openai', title: 'OpenAI SDK', text: `import OpenAI from 'openai';\n\nconst client = new OpenAI({\n  baseURL: '${base}/v1',\n  apiKey: '${key}',\n});` },
    { id: 'anthropic', title: 'Anthropic SDK', text: `import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({\n  baseURL: '${base}',\n  apiKey: '${key}',\n});` },
    { id: 'google', title: 'Google GenAI SDK', text: `import { GoogleGenAI } from '@google/genai';\n\nconst ai = new GoogleGenAI({\n  apiKey: '${key}',\n  httpOptions: { baseUrl: '${base}' },\n});` },
  ];
}
