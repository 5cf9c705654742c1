import { parseUpstreamFailure } from '../upstream/failure/parse';
import type { FailureReader, HeaderBag, UpstreamFailure } from '../upstream/failure/types';
import { providers } from './index';
import type { ProviderDescriptor } from './provider';

let everyReader: readonly FailureReader[] | undefined;

/** Every registered provider's failure format, once each (derived from the registry, not listed). */
function registeredReaders(): readonly FailureReader[] {
  everyReader ??= [...new Set(Object.values(providers).map((p) => p.readFailure).filter((r): r is FailureReader => r !== undefined))];
  return everyReader;
}

/**
 * Parse one failed answer of `provider`'s upstream: its envelope removed, its own reset-hint format
 * first, then the generic `retry-after`, then every other provider's format (compatible gateways
 * often relay another upstream's errors unchanged).
 */
export function readUpstreamFailure(
  provider: Pick<ProviderDescriptor, 'readFailure' | 'unwrapResponse'>,
  answer: { status: number; headers?: HeaderBag; body?: unknown; now: number },
): UpstreamFailure {
  return parseUpstreamFailure({
    ...answer,
    ...(provider.unwrapResponse ? { unwrap: (json: unknown) => provider.unwrapResponse!(json) } : {}),
    ...(provider.readFailure ? { reader: provider.readFailure } : {}),
    fallbackReaders: registeredReaders(),
  });
}
