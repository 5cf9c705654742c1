import { z } from 'zod';

/**
 * Keys for running several instances as one team server: the shared store, client IP rules,
 * metrics and traces. All optional; the defaults are the embedded single-machine set-up.
 */
const cidr = z.string().min(1).max(64);

export const teamConfigShape = {
  store: z
    .looseObject({
      driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
      /** postgres://…; SWITCHYARD_STORE_URL wins when set (keeps the password out of the file). */
      url: z.string().optional(),
      /** Usage records held in memory while the database is unreachable (then the oldest are dropped, logged). */
      'max-pending-usage': z.number().int().min(100).default(100_000),
    })
    .default({ driver: 'sqlite', 'max-pending-usage': 100_000 }),
  /** Client and management access only from these addresses/CIDRs (empty = any). */
  'allowed-ips': z.array(cidr).default([]),
  /** Peers whose X-Forwarded-For is believed (load balancers); CIDRs. */
  'trusted-proxies': z.array(cidr).default([]),
  metrics: z
    .looseObject({
      enable: z.boolean().default(true),
    })
    .default({ enable: true }),
  tracing: z
    .looseObject({
      /** OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces; empty = off. */
      'otlp-endpoint': z.string().default(''),
      'service-name': z.string().default('switchyard'),
    })
    .default({ 'otlp-endpoint': '', 'service-name': 'switchyard' }),
};
