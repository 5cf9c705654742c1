import type { ProviderDescriptor, UpstreamCall, UpstreamHttpRequest } from '../providers/provider';
import { applyHostOverrides, type HostOverrides } from '../upstream/host-overrides';

/**
 * The one place a call becomes an HTTP request, for every operation: the provider's envelope
 * (`wrapRequest`, JSON bodies only — passthrough bytes go as they are), its URL and headers
 * (`buildRequest`), then `mapUrl` (e.g. images/generations → images/edits) and `host-overrides`.
 */
export function buildUpstreamRequest(
  provider: ProviderDescriptor,
  call: UpstreamCall,
  overrides: HostOverrides,
  mapUrl?: (url: string) => string,
): UpstreamHttpRequest {
  const wrapped: UpstreamCall = provider.wrapRequest && !Buffer.isBuffer(call.body) ? { ...call, body: provider.wrapRequest(call.body, call) } : call;
  const req = provider.buildRequest(wrapped);
  req.url = applyHostOverrides(mapUrl ? mapUrl(req.url) : req.url, overrides);
  return req;
}
