import type { FakeEngine } from '../unit/engine/control/fake-facade';
import type { QuotaWindow } from '../../src-main/engine/quota/window';

const H = 3_600_000;

/** Realistic-looking state so every page has something to show in screenshots. */
export async function seedDemo(engine: FakeEngine): Promise<void> {
  const now = engine.now();
  await engine.config.update((doc) => {
    doc.setIn(['openai-compatibility'], doc.createNode([{ name: 'openrouter', 'base-url': 'https://openrouter.ai/api/v1', 'api-key-entries': [{ 'api-key': 'sk-or-demo-000011112222' }], models: [{ name: 'anthropic/claude-sonnet-4.5', alias: 'or-sonnet' }] }]));
    doc.setIn(['gemini-api-key'], doc.createNode([{ 'api-key': 'AIzaDemoKey-abcdefgh12' }]));
    doc.setIn(['oauth-model-alias'], doc.createNode({ claude: [{ name: 'claude-sonnet-4-5', alias: 'sonnet', reasoning: 'high' }] }));
    doc.setIn(['oauth-excluded-models'], doc.createNode({ 'gemini-cli': ['*-preview'] }));
    doc.setIn(['payload'], doc.createNode({ override: [{ models: [{ name: 'gpt-5*' }], params: { 'reasoning.effort': 'medium' } }] }));
  });
  engine.addOauthAccount({ id: 'claude:ada', provider: 'claude', label: 'ada@example.com' }, { plan: 'Max 5x' });
  engine.addOauthAccount({ id: 'codex:lin', provider: 'codex', label: 'lin@example.com' }, { plan: 'Plus', status: 'cooling', coolingUntil: now + 42 * 60_000 });
  engine.addOauthAccount({ id: 'gemini-cli:ops', provider: 'gemini-cli', label: 'ops@example.org' }, { plan: 'free' });
  engine.addOauthAccount({ id: 'antigravity:kim', provider: 'antigravity', label: 'kim@example.org' }, { status: 'needs-sign-in', expiresAt: now - 2 * H });
  const w = (id: string, label: string, kind: QuotaWindow['kind'], used: number, resetIn: number, seconds: number, source: QuotaWindow['source'], age: number, model?: string): QuotaWindow => ({
    id,
    label,
    kind,
    usedPercent: used,
    resetAt: now + resetIn,
    windowSeconds: seconds,
    source,
    observedAt: now - age,
    ...(model ? { model } : {}),
  });
  engine.windows.set('claude:ada', [w('5h', '5-hour', '5h', 63, 2.2 * H, 18000, 'traffic', 12_000), w('weekly', 'Weekly', 'weekly', 31, 4 * 24 * H, 604800, 'traffic', 12_000)]);
  engine.windows.set('codex:lin', [w('5h', '5-hour', '5h', 97, 0.7 * H, 18000, 'poll', 9 * 60_000), w('weekly', 'Weekly', 'weekly', 82, 3 * 24 * H, 604800, 'poll', 9 * 60_000)]);
  engine.windows.set('gemini-cli:ops', [
    w('model:gemini-2.5-pro', 'gemini-2.5-pro', 'per-model', 45, 20 * H, 86400, 'poll', 5 * 60_000, 'gemini-2.5-pro'),
    w('model:gemini-2.5-flash', 'gemini-2.5-flash', 'per-model', 8, 20 * H, 86400, 'poll', 5 * 60_000, 'gemini-2.5-flash'),
  ]);
  const models = ['sonnet', 'gpt-5-codex', 'gemini-2.5-pro', 'or-sonnet'];
  const accounts = [
    ['claude', 'claude:ada', 'ada@example.com'],
    ['codex', 'codex:lin', 'lin@example.com'],
    ['gemini-cli', 'gemini-cli:ops', 'ops@example.org'],
    ['openai-compatibility', 'openai-compatibility:x', 'openrouter'],
  ];
  // Deterministic pseudo-random traffic over the last 24 hours.
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < 160; i++) {
    const k = Math.floor(rnd() * 4);
    const [provider, accountId, accountLabel] = accounts[k];
    const failed = rnd() < 0.06;
    engine.usage.record({
      id: `seed-${i}`,
      time: now - Math.floor(rnd() * 23.5 * H) - 60_000,
      clientKeyLabel: rnd() < 0.7 ? 'key #1' : 'key #2',
      inboundFormat: ['openai-chat', 'claude-messages', 'openai-responses', 'gemini'][k],
      provider,
      accountId,
      accountLabel,
      requestedModel: models[k],
      upstreamModel: models[k] === 'sonnet' ? 'claude-sonnet-4-5' : models[k],
      inputTokens: Math.floor(200 + rnd() * 4000),
      outputTokens: Math.floor(50 + rnd() * 1500),
      reasoningTokens: 0,
      cachedTokens: 0,
      latencyMs: Math.floor(400 + rnd() * 6000),
      ttftMs: Math.floor(200 + rnd() * 900),
      status: failed ? 429 : 200,
      errorClass: failed ? 'rate_limit' : undefined,
      stream: rnd() < 0.8,
    });
  }
}
