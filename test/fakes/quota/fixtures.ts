/**
 * Answers shaped like the providers' real usage endpoints and response headers
 * (field names from ../shared/reference/desktop-peers-and-quota.md §2). Times are relative to
 * NOW so tests can check resets exactly.
 */
export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const s = (ms: number): number => Math.floor(ms / 1000);

/** Headers of a Claude `/v1/messages` answer on a Max account. */
export const claudeHeaders: Record<string, string> = {
  'anthropic-ratelimit-unified-status': 'allowed',
  'anthropic-ratelimit-unified-5h-utilization': '0.42',
  'anthropic-ratelimit-unified-5h-reset': String(s(NOW + 2 * 3_600_000)),
  'anthropic-ratelimit-unified-5h-status': 'allowed',
  'anthropic-ratelimit-unified-7d-utilization': '0.815',
  'anthropic-ratelimit-unified-7d-reset': String(s(NOW + 3 * 86_400_000)),
  'anthropic-ratelimit-unified-7d-status': 'allowed_warning',
  'anthropic-ratelimit-unified-7d_oi-utilization': '1.0',
  'anthropic-ratelimit-unified-7d_oi-reset': String(s(NOW + 4 * 86_400_000)),
  'anthropic-ratelimit-unified-7d_oi-status': 'rejected',
  'anthropic-ratelimit-unified-representative-claim': 'seven_day',
  'anthropic-ratelimit-unified-overage-status': 'rejected',
  'anthropic-ratelimit-unified-reset': String(s(NOW + 3 * 86_400_000)),
  'request-id': 'req_011CT',
};

/**
 * Headers of a Codex answer on a Pro account whose primary window is the WEEKLY one (seen in the
 * wild): classification must follow window-minutes, not primary/secondary.
 */
export const codexHeaders: Record<string, string> = {
  'x-codex-primary-used-percent': '63',
  'x-codex-primary-window-minutes': '10080',
  'x-codex-primary-reset-at': String(s(NOW + 5 * 86_400_000)),
  'x-codex-primary-reset-after-seconds': String(5 * 86_400),
  'x-codex-secondary-used-percent': '12.5',
  'x-codex-secondary-window-minutes': '300',
  'x-codex-secondary-reset-after-seconds': '3600',
  'x-codex-credits-has-credits': 'true',
  'x-codex-credits-unlimited': 'false',
  'x-codex-credits-balance': '17.5',
  'x-codex-plan-type': 'pro',
  'x-codex-active-limit': 'codex',
  'x-codex-primary-over-secondary-limit-percent': '0',
  'x-codex-bengalfox-primary-used-percent': '150',
  'x-codex-bengalfox-primary-window-minutes': '300',
  'x-codex-bengalfox-primary-reset-after-seconds': '600',
};

export const codexUsageBody = {
  plan_type: 'plus',
  rate_limit: {
    allowed: true,
    limit_reached: false,
    primary_window: { used_percent: 22, limit_window_seconds: 18000, reset_after_seconds: 7200, reset_at: s(NOW + 7_200_000) },
    secondary_window: { used_percent: 48, limit_window_seconds: 604800, reset_after_seconds: 345600, reset_at: s(NOW + 345_600_000) },
  },
  code_review_rate_limit: {
    allowed: true,
    limit_reached: false,
    primary_window: { used_percent: 5, limit_window_seconds: 604800, reset_at: s(NOW + 86_400_000) },
    secondary_window: null,
  },
  additional_rate_limits: [
    {
      limit_name: 'GPT-5.3-Codex-Spark',
      metered_feature: 'codex_bengalfox',
      rate_limit: { primary_window: { used_percent: 90, limit_window_seconds: 18000, reset_at: s(NOW + 600_000) } },
    },
  ],
  credits: { has_credits: false, unlimited: false, balance: '0' },
};

export const codex429Body = {
  error: {
    type: 'usage_limit_reached',
    message: 'The usage limit has been reached',
    plan_type: 'plus',
    resets_at: s(NOW + 3_000_000),
    resets_in_seconds: 3000,
  },
};

export const claudeUsageBody = {
  five_hour: { utilization: 37, resets_at: new Date(NOW + 3_600_000).toISOString() },
  seven_day: { utilization: 81.5, resets_at: new Date(NOW + 2 * 86_400_000).toISOString() },
  seven_day_oauth_apps: null,
  seven_day_opus: { utilization: 12, resets_at: new Date(NOW + 2 * 86_400_000).toISOString() },
  seven_day_sonnet: { utilization: 104, resets_at: null },
  iguana_necktie: null,
  extra_usage: { is_enabled: true, monthly_limit: 5000, used_credits: 1250, utilization: 25 },
};

export const claudeProfileBody = {
  account: { uuid: 'u1', email: 'a@example.com', has_claude_max: true, has_claude_pro: false },
  organization: { uuid: 'o1', rate_limit_tier: 'default_claude_max_20x', subscription_status: 'active' },
};

export const geminiQuotaBody = {
  buckets: [
    { modelId: 'gemini-2.5-pro', tokenType: 'REQUESTS', remainingFraction: 0.25, resetTime: new Date(NOW + 10 * 3_600_000).toISOString() },
    { modelId: 'gemini-2.5-pro', tokenType: 'TOKENS', remainingFraction: 0.6, resetTime: new Date(NOW + 10 * 3_600_000).toISOString() },
    { modelId: 'gemini-2.5-flash', tokenType: 'REQUESTS', remainingFraction: 1, resetTime: new Date(NOW + 10 * 3_600_000).toISOString() },
  ],
};

export const loadCodeAssistBody = {
  currentTier: { id: 'free-tier', name: 'Gemini Code Assist for individuals' },
  paidTier: { id: 'g1-pro-tier', name: 'Google AI Pro' },
  cloudaicompanionProject: 'proud-lamp-123',
};

export const antigravitySummaryBody = {
  groups: [
    {
      displayName: 'Gemini models',
      buckets: [
        { bucketId: 'gemini-5h', window: 'FIVE_HOURS', displayName: '5-hour', remainingFraction: 0.9, resetTime: new Date(NOW + 3_600_000).toISOString() },
        { bucketId: 'gemini-weekly', window: 'WEEKLY', displayName: 'Weekly', remainingFraction: 0.5, resetTime: new Date(NOW + 3 * 86_400_000).toISOString() },
      ],
    },
    {
      displayName: 'Claude and GPT models',
      buckets: [
        { bucketId: '3p-5h', window: '18000s', displayName: '5-hour', remainingFraction: 0.02, resetTime: new Date(NOW + 600_000).toISOString() },
        { bucketId: '3p-weekly', displayName: 'Weekly', remainingFraction: 0.7, resetTime: new Date(NOW + 5 * 86_400_000).toISOString() },
      ],
    },
  ],
};

export const antigravityModelsBody = {
  models: {
    'gemini-3-pro-high': { displayName: 'Gemini 3 Pro (High)', quotaInfo: { remainingFraction: 0.4, resetTime: new Date(NOW + 3_600_000).toISOString() } },
    'claude-sonnet-4-5': { displayName: 'Claude Sonnet 4.5', quotaInfo: { remainingFraction: 1, resetTime: new Date(NOW + 3_600_000).toISOString() } },
    'chat_20706': { displayName: 'internal', isInternal: true, quotaInfo: { remainingFraction: 1 } },
  },
};

export const google429Body = {
  error: {
    code: 429,
    message: 'You have exhausted your capacity on this model.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'QUOTA_EXHAUSTED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata: { model: 'gemini-2.5-pro', quotaResetDelay: '1h2m3s', quotaResetTimeStamp: new Date(NOW + 3_723_000).toISOString() },
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3723s' },
    ],
  },
};

export const kimiUsageBody = {
  usage: { limit: '1000', used: '250', remaining: '750', resetTime: new Date(NOW + 4 * 86_400_000).toISOString() },
  limits: [
    { window: { duration: 300, timeUnit: 'TIME_UNIT_MINUTE' }, detail: { limit: '200', remaining: '50', resetTime: new Date(NOW + 1_800_000).toISOString() } },
  ],
};

export const xaiCreditsBody = {
  config: { credit_usage_percent: 34.5 },
  current_period: { type: 'WEEK', end: new Date(NOW + 2 * 86_400_000).toISOString() },
  product_usage: [{ product: 'grok-code', usage_percent: 20 }],
};

export const xaiMonthlyBody = {
  monthly_limit: 30000,
  used: 7500,
  billing_period_end: new Date(NOW + 20 * 86_400_000).toISOString(),
  on_demand_cap: 0,
  on_demand_used: 0,
};
