import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { ConfigError } from '../config/load';
import { ConfigWriteError, type ConfigStore } from '../config/store';
import { MaskedValueError, maskSecrets, maskYaml, secretPool, unmaskSecrets, unmaskYaml, wantsReveal } from './secret-mask';

/**
 * CLIProxyAPI-compatible config endpoints: the whole config, raw YAML, scalar settings
 * (`{"value": …}`), the client key list and the provider key lists. Every change is validated,
 * written atomically with comments kept, and hot-reloaded.
 */

const SCALARS: Record<string, { path: string[]; schema: z.ZodType }> = {
  debug: { path: ['debug'], schema: z.boolean() },
  'force-model-prefix': { path: ['force-model-prefix'], schema: z.boolean() },
  'request-retry': { path: ['request-retry'], schema: z.number().int().min(0) },
  'max-retry-interval': { path: ['max-retry-interval'], schema: z.number().min(0) },
  'max-retry-credentials': { path: ['max-retry-credentials'], schema: z.number().int().min(0) },
  'disable-cooling': { path: ['disable-cooling'], schema: z.boolean() },
  'proxy-url': { path: ['proxy-url'], schema: z.string() },
  'routing/strategy': { path: ['routing', 'strategy'], schema: z.enum(['round-robin', 'fill-first', 'weighted-round-robin']) },
  'quota-exceeded/switch-project': { path: ['quota-exceeded', 'switch-project'], schema: z.boolean() },
  'quota-exceeded/switch-preview-model': { path: ['quota-exceeded', 'switch-preview-model'], schema: z.boolean() },
  'usage-statistics-enabled': { path: ['usage-sqlite', 'enable'], schema: z.boolean() },
};

const KEY_LISTS = ['gemini-api-key', 'claude-api-key', 'codex-api-key', 'vertex-api-key', 'openai-compatibility'] as const;
const MAPS = ['oauth-excluded-models', 'oauth-model-alias'] as const;

function getPath(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

type Edit = Parameters<ConfigStore['update']>[0];

/** Thrown inside an edit when what it targets is not in the config its turn sees (→ 404). */
class EditMiss extends Error {}

/**
 * Run one edit under the store's write lock. Positions (which key, which entry) are looked up
 * inside `mutate`, against the config current at that moment, so concurrent edits never undo
 * each other.
 */
async function save(res: Response, store: ConfigStore, mutate: Edit): Promise<boolean> {
  try {
    await store.update(mutate);
    return true;
  } catch (err) {
    if (!sendSaveError(res, err)) throw err;
    return false;
  }
}

function sendSaveError(res: Response, err: unknown): boolean {
  if (err instanceof EditMiss) res.status(404).json({ error: err.message });
  else if (err instanceof MaskedValueError) res.status(400).json({ error: 'masked secret', message: err.message });
  else if (err instanceof ConfigError) res.status(400).json({ error: 'invalid config', message: err.message, details: err.issues });
  else if (err instanceof ConfigWriteError) res.status(500).json({ error: 'config not saved', message: err.message });
  else return false;
  return true;
}

function itemsOf(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)) return (body as { items: unknown[] }).items;
  return undefined;
}

export function configRoutes(store: ConfigStore): Router {
  const r = express.Router();
  const json = express.json({ limit: '5mb' });

  // Secrets (client keys, provider keys, the management key) are masked unless `?reveal=true`.
  const out = <T>(req: Request, value: T, key?: string): T => (wantsReveal(req.query) ? value : maskSecrets(value, key));
  r.get('/config', (req, res) => {
    res.json(out(req, store.current));
  });
  r.get('/config.yaml', (req, res) => {
    res.type('application/yaml').send(wantsReveal(req.query) ? store.text : maskYaml(store.text));
  });
  r.put('/config.yaml', express.text({ type: () => true, limit: '5mb' }), async (req: Request, res: Response) => {
    try {
      // A document read masked and saved back keeps the real secrets.
      await store.saveText(unmaskYaml(typeof req.body === 'string' ? req.body : '', secretPool(store.current)));
      res.json({ status: 'ok' });
    } catch (err) {
      if (!sendSaveError(res, err)) throw err;
    }
  });

  for (const [name, spec] of Object.entries(SCALARS)) {
    r.get(`/${name}`, (_req, res) => {
      res.json({ [name.split('/').pop()!]: getPath(store.current, spec.path) });
    });
    const set = async (req: Request, res: Response) => {
      const parsed = spec.schema.safeParse((req.body as { value?: unknown } | undefined)?.value);
      if (!parsed.success) return void res.status(400).json({ error: `invalid value for ${name}: ${parsed.error.issues[0]?.message}` });
      if (await save(res, store, (doc) => doc.setIn(spec.path, parsed.data))) res.json({ status: 'ok' });
    };
    r.put(`/${name}`, json, set);
    r.patch(`/${name}`, json, set);
  }

  // Client API keys: a list of strings.
  r.get('/api-keys', (req, res) => {
    res.json({ 'api-keys': out(req, store.current['api-keys'], 'api-keys') });
  });
  r.put('/api-keys', json, async (req, res) => {
    const parsed = z.array(z.string().min(1)).safeParse(itemsOf(req.body));
    if (!parsed.success) return void res.status(400).json({ error: 'body must be an array of keys or {"items": [...]}' });
    if (await save(res, store, (doc, current) => doc.setIn(['api-keys'], unmaskSecrets(parsed.data, secretPool(current), 'api-keys')))) res.json({ status: 'ok' });
  });
  r.patch('/api-keys', json, async (req, res) => {
    const body = z.union([z.object({ old: z.string(), new: z.string().min(1) }), z.object({ index: z.number().int().min(0), value: z.string().min(1) })]).safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: 'body must be {"old","new"} or {"index","value"}' });
    const b = body.data;
    const edit: Edit = (doc, current) => {
      const keys = [...current['api-keys']];
      const pool = secretPool(current);
      const i = 'old' in b ? keys.indexOf(unmaskSecrets(b.old, pool, 'api-key')) : b.index;
      if (i < 0 || i >= keys.length) throw new EditMiss('no such key');
      keys[i] = unmaskSecrets('new' in b ? b.new : b.value, pool, 'api-key');
      doc.setIn(['api-keys'], keys);
    };
    if (await save(res, store, edit)) res.json({ status: 'ok' });
  });
  r.delete('/api-keys', async (req, res) => {
    const q = req.query;
    const edit: Edit = (doc, current) => {
      const keys = [...current['api-keys']];
      const i = q.index !== undefined ? Number(q.index) : keys.indexOf(unmaskSecrets(String(q.value ?? ''), secretPool(current), 'api-key'));
      if (!Number.isInteger(i) || i < 0 || i >= keys.length) throw new EditMiss('no such key');
      keys.splice(i, 1);
      doc.setIn(['api-keys'], keys);
    };
    if (await save(res, store, edit)) res.json({ status: 'ok' });
  });

  // Provider key lists: arrays of objects.
  for (const name of KEY_LISTS) {
    r.get(`/${name}`, (req, res) => {
      res.json({ [name]: out(req, store.current[name]) });
    });
    r.put(`/${name}`, json, async (req, res) => {
      const items = itemsOf(req.body);
      if (!items) return void res.status(400).json({ error: 'body must be an array or {"items": [...]}' });
      if (await save(res, store, (doc, current) => doc.setIn([name], unmaskSecrets(items, secretPool(current))))) res.json({ status: 'ok' });
    });
    r.patch(`/${name}`, json, async (req, res) => {
      const body = z.object({ index: z.number().int().min(0).optional(), match: z.string().optional(), value: z.record(z.string(), z.unknown()) }).safeParse(req.body);
      if (!body.success) return void res.status(400).json({ error: 'body must be {"index"|"match", "value": {...}}' });
      const b = body.data;
      const edit: Edit = (doc, current) => {
        const list = current[name] as Array<Record<string, unknown>>;
        const pool = secretPool(current);
        const match = b.match === undefined ? undefined : unmaskSecrets(b.match, pool, 'api-key');
        const i = b.index ?? list.findIndex((e) => e['api-key'] === match || e.name === match);
        if (i < 0 || i >= list.length) throw new EditMiss('no such entry');
        for (const [k, v] of Object.entries(unmaskSecrets(b.value, pool))) doc.setIn([name, i, k], v);
      };
      if (await save(res, store, edit)) res.json({ status: 'ok' });
    });
    r.delete(`/${name}`, async (req, res) => {
      const q = req.query as Record<string, string | undefined>;
      const edit: Edit = (doc, current) => {
        const list = current[name] as Array<Record<string, unknown>>;
        const apiKey = q['api-key'] === undefined ? undefined : unmaskSecrets(q['api-key'], secretPool(current), 'api-key');
        const i =
          q.index !== undefined
            ? Number(q.index)
            : list.findIndex((e) => (apiKey !== undefined && e['api-key'] === apiKey && (q['base-url'] === undefined || e['base-url'] === q['base-url'])) || (q.name !== undefined && e.name === q.name));
        if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new EditMiss('no such entry');
        doc.deleteIn([name, i]);
      };
      if (await save(res, store, edit)) res.json({ status: 'ok' });
    });
  }

  for (const name of MAPS) {
    r.get(`/${name}`, (_req, res) => {
      res.json({ [name]: store.current[name] });
    });
    const put = async (req: Request, res: Response) => {
      const body = z.record(z.string(), z.array(z.unknown())).safeParse(req.body);
      if (!body.success) return void res.status(400).json({ error: 'body must be an object of provider → list' });
      if (await save(res, store, (doc) => { for (const [k, v] of Object.entries(body.data)) doc.setIn([name, k], v); })) res.json({ status: 'ok' });
    };
    r.put(`/${name}`, json, put);
    r.patch(`/${name}`, json, put);
    r.delete(`/${name}`, async (req, res) => {
      const key = String(req.query.provider ?? req.query.channel ?? '');
      const edit: Edit = (doc, current) => {
        if (!key || !Object.hasOwn(current[name], key)) throw new EditMiss('no such provider');
        doc.deleteIn([name, key]);
      };
      if (await save(res, store, edit)) res.json({ status: 'ok' });
    });
  }
  return r;
}
