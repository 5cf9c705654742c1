/**
 * IPC transport of the UI contract. Every invoke channel gets one `ipcMain.handle` through a
 * wrapper that (1) checks the sender — the main frame of one of our own windows, showing our
 * own origin — (2) validates the payload and the response with the contract's zod schemas
 * (`invokeValidated`), and (3) answers with the `{ok,data}|{ok:false,error}` envelope, because
 * Electron keeps only `message` from errors thrown through `handle`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { z } from 'zod';
import { invokeValidated, validateEvent, type Result } from '../../src-shared/contract';
import { isAppUrl, type AppOrigins } from './urls';

type AnyContract = Record<string, { request: z.ZodType; response: z.ZodType } | { payload: z.ZodType }>;
type InvokeKeys<C> = { [K in keyof C]: C[K] extends { request: z.ZodType } ? K : never }[keyof C];
/** One handler per invoke channel (the contract's own `Handlers` type is assignable). */
export type HandlersOf<C> = { [K in InvokeKeys<C>]: (req: never, ctx: never) => Promise<unknown> };

export interface SenderPolicy extends AppOrigins {
  /** Web contents of our own windows, right now. */
  ownContents: () => WebContents[];
}

/** Why a sender is refused, or undefined when it is one of ours. */
export function senderProblem(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, p: SenderPolicy): string | undefined {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (!p.ownContents().includes(event.sender)) return 'the sender is not a Switchyard window';
  if (frame.parent !== null || frame !== event.sender.mainFrame) return 'the sender is not a main frame';
  if (!isAppUrl(frame.url, p)) return `the sender's origin is not the app's (${safeOrigin(frame.url)})`;
  return undefined;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'unparseable URL';
  }
}

export interface RegisterOptions extends SenderPolicy {
  log?: (msg: string) => void;
}

/**
 * Register a validated handler for every invoke channel of `contract`. Returns a function that
 * removes them again (tests, shutdown).
 */
export function registerHandlers<C extends AnyContract>(contract: C, handlers: HandlersOf<C>, o: RegisterOptions): () => void {
  const channels = Object.keys(contract).filter((k) => 'request' in contract[k]);
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<Result<unknown>> => {
      const problem = senderProblem(event, o);
      if (problem) {
        o.log?.(`ipc: refused ${channel}: ${problem}`);
        return { ok: false, error: { code: 'unauthorized', message: `refused: ${problem}` } };
      }
      return invokeValidated(contract, handlers as never, channel, payload, { transport: 'ipc' });
    });
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c));
}

/**
 * Send contract events to our windows. Payloads are validated (and stripped of unknown fields)
 * first, so an engine bug cannot push a token to the renderer.
 */
export class EventBroadcaster<C extends AnyContract> {
  constructor(
    private readonly contract: C,
    private readonly targets: () => WebContents[],
    private readonly log: (msg: string) => void = () => {},
  ) {}

  emit(event: string, payload: unknown): boolean {
    const checked = validateEvent(this.contract, event, payload);
    if (!checked.ok) {
      this.log(`ipc: dropped event ${event}: ${checked.error.message}`);
      return false;
    }
    for (const wc of this.targets()) if (!wc.isDestroyed()) wc.send(event, checked.data);
    return true;
  }
}
