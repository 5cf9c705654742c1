import { randomBytes } from 'node:crypto';

/** Item ids in the Responses API's own shapes (`resp_…`, `msg_…`, `rs_…`, `fc_…`). */
export function newItemId(prefix: 'resp' | 'msg' | 'rs' | 'fc' | 'ig'): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

/** A function call without `call_id` gets one derived from its item id, so it stays stable. */
export function callIdFor(itemId: string | null | undefined, fallbackIndex: number): string {
  return itemId ? `call_${itemId.replace(/^fc_?/, '')}` : `call_${randomBytes(8).toString('hex')}_${fallbackIndex}`;
}
