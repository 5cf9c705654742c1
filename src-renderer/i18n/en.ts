import { shell } from './en/shell';
import { accounts } from './en/accounts';
import { quotaUsage } from './en/quota-usage';
import { keys } from './en/keys';
import { mappings } from './en/mappings';
import { logsSettings } from './en/logs-settings';

/**
 * English strings, one module per page under en/. zh-CN.ts mirrors every key: its modules are
 * typed from these (a missing or extra key is a type error) and a test compares both trees.
 */
export const en = { ...shell, ...accounts, ...keys, ...quotaUsage, ...mappings, ...logsSettings } as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Strings = Widen<typeof en>;
