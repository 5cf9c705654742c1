import type { EventChannel, EventPayload, InvokeChannel, RequestInput, Response } from '../../src-shared/contract';
import type { Bridge } from './bridge';

/** A failed call, with the contract's error code (`not-found`, `bad-request`, `network`, …). */
export class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** Typed face of a Bridge: `client.call('app:accounts:list')` resolves to the response type. */
export interface ContractClient {
  readonly kind: Bridge['kind'];
  call<K extends InvokeChannel>(channel: K, ...payload: Record<string, never> extends RequestInput<K> ? [RequestInput<K>?] : [RequestInput<K>]): Promise<Response<K>>;
  on<K extends EventChannel>(event: K, cb: (payload: EventPayload<K>) => void): () => void;
}

export function createClient(bridge: Bridge): ContractClient {
  return {
    kind: bridge.kind,
    async call(channel, ...payload) {
      const r = await bridge.invoke(channel, payload[0]);
      if (!r.ok) throw new ClientError(r.error.code, r.error.message);
      return r.data as never;
    },
    on(event, cb) {
      return bridge.subscribe(event, cb as (p: unknown) => void);
    },
  };
}
