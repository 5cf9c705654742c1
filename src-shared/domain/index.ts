export * from './common';
export * from './status';
export * from './accounts';
export * from './quota';
export * from './usage';
export * from './mappings';
export * from './settings';
