export * from './record';
export * from './recorder';
export type { SeriesBucket, SeriesGroupBy, SeriesQuery, SeriesPoint, TimeRange, UsageTotals, RecentFilters } from './queries';
export type { CliproxyUsageSnapshot, CliproxyAggregateOptions } from './cliproxy-aggregate';
export { usageExportSchema, UsageImportError, type UsageExport } from './transfer';
