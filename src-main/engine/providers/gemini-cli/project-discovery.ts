import { callJson, str } from '../../accounts/http';
import type { FlowContext } from '../../accounts/provider-auth';
import { AuthError } from '../../accounts/types';

export const CODE_ASSIST = 'https://cloudcode-pa.googleapis.com';
export const GOOGLE_USERINFO = 'https://www.googleapis.com/oauth2/v1/userinfo?alt=json';

export async function googleEmail(ctx: FlowContext, token: string): Promise<string | undefined> {
  const info = await callJson(ctx, 'Google user info', GOOGLE_USERINFO, { token });
  return str(info.email);
}

function projectOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v || undefined;
  if (v && typeof v === 'object') return str((v as Record<string, unknown>).id);
  return undefined;
}

export interface DiscoveryOptions {
  /** `GEMINI` (gemini-cli) or `ANTIGRAVITY`. */
  ideType: string;
  /** Base for onboardUser (Antigravity onboards against the daily host). */
  onboardBase?: string;
  requestedProject?: string;
  /** Poll cadence and limit for onboardUser (long-running operation). */
  pollMs?: number;
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Code Assist project discovery (PROTOCOLS.md §5.2): `loadCodeAssist` names the project when the
 * user already has one; otherwise `onboardUser` with the default tier, polled until `done`.
 */
export async function discoverProject(ctx: FlowContext, token: string, o: DiscoveryOptions): Promise<{ projectId: string; tierId: string }> {
  const metadata = { ideType: o.ideType, platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' };
  const load = await callJson(ctx, 'Code Assist loadCodeAssist', `${CODE_ASSIST}/v1internal:loadCodeAssist`, {
    token,
    body: { metadata, ...(o.requestedProject ? { cloudaicompanionProject: o.requestedProject } : {}) },
  });
  const tiers = Array.isArray(load.allowedTiers) ? (load.allowedTiers as Array<Record<string, unknown>>) : [];
  const current = load.currentTier as Record<string, unknown> | undefined;
  const tierId = str(tiers.find((t) => t.isDefault === true)?.id) ?? str(current?.id) ?? 'legacy-tier';
  const found = projectOf(load.cloudaicompanionProject) ?? projectOf(load.projectId) ?? projectOf(load.project);
  if (found && !o.requestedProject) return { projectId: found, tierId };

  const base = o.onboardBase ?? CODE_ASSIST;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = { tierId, metadata, ...(o.requestedProject ? { cloudaicompanionProject: o.requestedProject } : {}) };
  for (let i = 0; i < (o.maxPolls ?? 15); i++) {
    const op = await callJson(ctx, 'Code Assist onboardUser', `${base}/v1internal:onboardUser`, { token, body });
    if (op.done === true) {
      const response = (op.response ?? {}) as Record<string, unknown>;
      const projectId = projectOf(response.cloudaicompanionProject) ?? o.requestedProject ?? found;
      if (!projectId) break;
      return { projectId, tierId };
    }
    await sleep(o.pollMs ?? 2_000);
  }
  throw new AuthError(
    'Code Assist did not assign a Google Cloud project to this account. Use a Google account with Gemini Code Assist (Standard/Enterprise) or pass a project id.',
    'no_project',
  );
}
