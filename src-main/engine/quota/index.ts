export * from './window';
export * from './source';
export * from './quota-book';
export * from './scheduler';
export { quotaSources } from './registry';
export { createQuotaFetch, type QuotaHttpOptions } from './http';
export { realTimers, type Timers } from './timers';
export { DEFAULT_THRESHOLDS } from './thresholds';
export { QuotaService, type QuotaServiceOptions } from './service';
