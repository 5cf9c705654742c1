import express, { type Router } from 'express';
import { request } from 'undici';
import { z } from 'zod';
import { MalformedAuthFileError, parseAuthFile, providerOfRecord } from '../accounts/auth-file';
import type { Engine } from '../engine';
import { applyHostOverrides } from '../upstream/host-overrides';
import { isSafeId } from '../accounts/secret-store';


/**
 * Hosts a signed-in account's token may be sent to through `api-call` (quota and profile
 * lookups). A token never leaves for any other host; host-overrides apply after this check.
 */
const PROVIDER_HOSTS = [/(^|\.)anthropic\.com$/, /(^|\.)claude\.ai$/, /(^|\.)chatgpt\.com$/, /(^|\.)openai\.com$/, /(^|\.)googleapis\.com$/, /(^|\.)qwen\.ai$/, /(^|\.)iflow\.cn$/, /(^|\.)kimi\.com$/, /(^|\.)moonshot\.cn$/, /(^|\.)x\.ai$/, /(^|\.)grok\.com$/];

const apiCallBody = z.object({
  auth_index: z.union([z.string(), z.number()]).optional(),
  authIndex: z.union([z.string(), z.number()]).optional(),
  method: z.string().default('GET'),
  url: z.string().url(),
  header: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});

/** CLIProxyAPI's auth-file upload/download and the credential-aware `api-call`. */
export function authFileRoutes(engine: Engine): Router {
  const r = express.Router();

  r.get('/auth-files/download', async (req, res) => {
    const id = String(req.query.name ?? '').replace(/\.json$/, '');
    const reg = engine.registry;
    if (!reg || !isSafeId(id) || !reg.entry(id)) return void res.status(404).json({ error: `no auth file ${req.query.name ?? ''}` });
    const rec = await reg.store.get(id);
    if (!rec) return void res.status(404).json({ error: `no secret stored for ${id}` });
    res.setHeader('Content-Disposition', `attachment; filename="${id}.json"`);
    res.json(rec);
  });

  r.post('/auth-files', express.text({ type: () => true, limit: '1mb' }), async (req, res) => {
    const reg = engine.registry;
    if (!reg) return void res.status(503).json({ error: 'account storage is not available' });
    const name = String(req.query.name ?? '');
    if (!name.endsWith('.json') || !isSafeId(name.slice(0, -5))) {
      return void res.status(400).json({ error: 'name must be a file name ending in .json (letters, digits, @._+-, not starting with a dot)' });
    }
    const id = name.slice(0, -5);
    try {
      const record = parseAuthFile(name, typeof req.body === 'string' ? req.body : '');
      const provider = providerOfRecord(record);
      if (!provider) return void res.status(400).json({ error: `type "${String(record.type)}" is not a sign-in provider` });
      await reg.add({
        provider,
        id,
        record,
        label: (typeof record.email === 'string' && record.email) || id,
        projectId: typeof record.project_id === 'string' && record.project_id ? record.project_id : undefined,
      });
      res.json({ status: 'ok', id, provider });
    } catch (err) {
      if (err instanceof MalformedAuthFileError) return void res.status(400).json({ error: err.message });
      throw err;
    }
  });

  r.post('/api-call', express.json({ limit: '1mb' }), async (req, res) => {
    const body = apiCallBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: 'body must be {auth_index, method, url, header?, data?}' });
    const ref = String(body.data.auth_index ?? body.data.authIndex ?? '');
    const account = engine.accounts().find((a) => a.id === ref || String(a.order) === ref);
    if (!account) return void res.status(404).json({ error: `no account ${ref}` });
    const url = new URL(body.data.url);
    if (url.protocol !== 'https:' || !PROVIDER_HOSTS.some((h) => h.test(url.hostname))) {
      return void res.status(400).json({ error: `api-call only reaches provider hosts over https; ${url.host} is not one` });
    }
    let token: string;
    try {
      token = await engine.credentialFor(account);
    } catch (err) {
      return void res.status(409).json({ error: `no usable credential: ${(err as Error).message}` });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.data.header ?? {})) headers[k] = v.replaceAll('$TOKEN$', token);
    try {
      const up = await request(applyHostOverrides(url.toString(), engine.config.current['host-overrides']), {
        method: body.data.method.toUpperCase() as 'GET',
        headers,
        body: body.data.data,
        dispatcher: engine.dispatchers.get(account.proxyUrl),
      });
      const text = await up.body.text();
      res.json({ status_code: up.statusCode, header: up.headers, body: text });
    } catch (err) {
      res.status(502).json({ error: `request failed: ${(err as Error).message}` });
    }
  });
  return r;
}
