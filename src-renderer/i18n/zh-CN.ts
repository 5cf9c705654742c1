import type { Strings } from './en';
import { shell } from './zh-CN/shell';
import { accounts } from './zh-CN/accounts';
import { quotaUsage } from './zh-CN/quota-usage';
import { keys } from './zh-CN/keys';
import { mappings } from './zh-CN/mappings';
import { logsSettings } from './zh-CN/logs-settings';

/** 简体中文，按页面分在 zh-CN/ 下。键与 en.ts 一一对应（类型检查 + 测试）。 */
export const zhCN: Strings = { ...shell, ...accounts, ...keys, ...quotaUsage, ...mappings, ...logsSettings };
