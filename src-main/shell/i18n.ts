/**
 * The shell's own strings (tray menu, tooltip, notifications, update dialogs) in the app's
 * languages, following the language setting the UI saves ("system" = the OS locale). A small
 * table rather than the renderer's i18next bundle: the main process must not load React-side
 * code, and these strings are few and tray-specific.
 */
import type { AccountStatus } from '../../src-shared/domain';

export type ShellLang = 'en' | 'zh-CN';
export type LanguagePref = 'system' | 'en' | 'zh-CN';

export function resolveLang(pref: LanguagePref | undefined, locale: string): ShellLang {
  if (pref === 'en' || pref === 'zh-CN') return pref;
  return /^zh\b|^zh-/i.test(locale) ? 'zh-CN' : 'en';
}

export interface ShellStrings {
  lang: ShellLang;
  /** "2h 13m", "3d 4h", "45m", "now" from seconds left. */
  duration(d: number, h: number, m: number): string;
  now: string;
  accounts(n: number): string;
  running(port: number): string;
  starting: string;
  stopping: string;
  stopped: string;
  error(reason: string | undefined): string;
  tooltipRunning(port: number, accounts: string): string;
  tooltipError(reason: string | undefined): string;
  tooltipOther(state: string, accounts: string): string;
  /** Second tooltip line: the tightest window. */
  tightest(who: string, window: string, left: string, reset: string): string;
  stateName(state: 'starting' | 'stopping' | 'stopped'): string;
  startProxy: string;
  stopProxy: string;
  copyUrl: string;
  openApp: string;
  refreshQuotas: string;
  launchAtLogin: string;
  checkForUpdates: string;
  checkingForUpdates: string;
  downloadingUpdate(v: string): string;
  restartToUpdate(v: string): string;
  quit: string;
  signIn: string;
  signInAnother: string;
  noAccounts: string;
  noQuotaYet: string;
  accountStatus: Record<AccountStatus, string>;
  /** "5h: 58% left · resets in 2h 13m". */
  meter(window: string, left: string, reset: string): string;
  /** Balances are shown as balances: an amount, or whether any is available. */
  balance(label: string, amount: number | undefined, available: boolean): string;
  quotaLow: string;
  quotaUsedUp: string;
  quotaLowBody(who: string, window: string, left: string, reset: string): string;
  quotaReset: string;
  quotaResetBody(who: string, window: string, left: string): string;
  signInNeeded: string;
  signInNeededBody(who: string): string;
  portBusy: string;
  proxyError: string;
  signedIn: string;
  signedInBody(who: string): string;
  signInFailed: string;
  signInFailedBody(provider: string, message: string | undefined): string;
  signInCodeCopied: string;
  signInCodeBody(code: string): string;
  unsafeSignInUrl: string;
  updateReady: string;
  updateReadyBody(v: string): string;
  updateConfirmBody(v: string): string;
  restartNow: string;
  later: string;
  ok: string;
  noUpdates: string;
  noUpdatesBody: string;
  updateCheckFailed: string;
  updates: string;
  updatesPackagedOnly: string;
  updatesUnavailable: string;
}

const en: ShellStrings = {
  lang: 'en',
  duration: (d, h, m) => (d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`),
  now: 'now',
  accounts: (n) => `${n} ${n === 1 ? 'account' : 'accounts'}`,
  running: (port) => `Running on :${port}`,
  starting: 'Starting…',
  stopping: 'Stopping…',
  stopped: 'Proxy stopped',
  error: (r) => `Error: ${r ?? 'the proxy failed'}`,
  tooltipRunning: (port, n) => `Switchyard — running on :${port} · ${n}`,
  tooltipError: (r) => `Switchyard — error: ${r ?? 'the proxy failed'}`,
  tooltipOther: (state, n) => `Switchyard — ${state} · ${n}`,
  tightest: (who, w, left, reset) => `Tightest: ${who} ${w} ${left} left${reset ? `, resets in ${reset}` : ''}`,
  stateName: (s) => s,
  startProxy: 'Start proxy',
  stopProxy: 'Stop proxy',
  copyUrl: 'Copy base URL',
  openApp: 'Open Switchyard',
  refreshQuotas: 'Refresh quotas',
  launchAtLogin: 'Launch at login',
  checkForUpdates: 'Check for updates',
  checkingForUpdates: 'Checking for updates…',
  downloadingUpdate: (v) => `Downloading update ${v}…`,
  restartToUpdate: (v) => `Restart to update to ${v}`,
  quit: 'Quit Switchyard',
  signIn: 'Sign in…',
  signInAnother: 'Sign in another account…',
  noAccounts: 'No accounts',
  noQuotaYet: 'no quota data yet',
  accountStatus: { active: '', cooling: ' — cooling down', 'needs-sign-in': ' — needs sign-in', disabled: ' — disabled', error: ' — error' },
  meter: (w, left, reset) => `${w}: ${left} left${reset ? ` · resets in ${reset}` : ''}`,
  balance: (label, amount, available) => `${label}: ${amount !== undefined ? `balance ${amount}` : available ? 'available' : 'none'}`,
  quotaLow: 'Quota low',
  quotaUsedUp: 'Quota used up',
  quotaLowBody: (who, w, left, reset) => `${who}: ${w} window ${left} left${reset ? `, resets in ${reset}` : ''}.`,
  quotaReset: 'Quota reset',
  quotaResetBody: (who, w, left) => `${who}: ${w} window is back to ${left} left.`,
  signInNeeded: 'Sign-in needed',
  signInNeededBody: (who) => `${who} needs you to sign in again.`,
  portBusy: 'Port busy',
  proxyError: 'Proxy error',
  signedIn: 'Signed in',
  signedInBody: (who) => `${who} is ready to use.`,
  signInFailed: 'Sign-in failed',
  signInFailedBody: (p, m) => `${p}: ${m ?? 'the sign-in did not complete'}`,
  signInCodeCopied: 'Sign-in code copied',
  signInCodeBody: (code) => `Enter ${code} on the page that just opened.`,
  unsafeSignInUrl: 'The sign-in address was not a safe https URL.',
  updateReady: 'Update ready',
  updateReadyBody: (v) => `Switchyard ${v} is downloaded. Choose "Restart to update" in the tray menu to install it.`,
  updateConfirmBody: (v) => `Switchyard ${v} is ready. Restart now to install it? The proxy stops briefly.`,
  restartNow: 'Restart now',
  later: 'Later',
  ok: 'OK',
  noUpdates: 'No updates',
  noUpdatesBody: 'You are running the latest version of Switchyard.',
  updateCheckFailed: 'Update check failed',
  updates: 'Updates',
  updatesPackagedOnly: 'Updates are available in packaged builds only.',
  updatesUnavailable: 'Updates are not available in this build.',
};

const zhCN: ShellStrings = {
  lang: 'zh-CN',
  duration: (d, h, m) => (d > 0 ? `${d}天${h}小时` : h > 0 ? `${h}小时${m}分` : `${m}分钟`),
  now: '即将',
  accounts: (n) => `${n} 个账户`,
  running: (port) => `运行中，端口 :${port}`,
  starting: '正在启动…',
  stopping: '正在停止…',
  stopped: '代理已停止',
  error: (r) => `错误：${r ?? '代理出错'}`,
  tooltipRunning: (port, n) => `Switchyard — 运行中，端口 :${port} · ${n}`,
  tooltipError: (r) => `Switchyard — 错误：${r ?? '代理出错'}`,
  tooltipOther: (state, n) => `Switchyard — ${state} · ${n}`,
  tightest: (who, w, left, reset) => `最紧张：${who} ${w} 剩余 ${left}${reset ? `，${reset}后重置` : ''}`,
  stateName: (s) => ({ starting: '正在启动', stopping: '正在停止', stopped: '已停止' })[s],
  startProxy: '启动代理',
  stopProxy: '停止代理',
  copyUrl: '复制基础 URL',
  openApp: '打开 Switchyard',
  refreshQuotas: '刷新配额',
  launchAtLogin: '登录时启动',
  checkForUpdates: '检查更新',
  checkingForUpdates: '正在检查更新…',
  downloadingUpdate: (v) => `正在下载更新 ${v}…`,
  restartToUpdate: (v) => `重启以更新到 ${v}`,
  quit: '退出 Switchyard',
  signIn: '登录…',
  signInAnother: '登录另一个账户…',
  noAccounts: '没有账户',
  noQuotaYet: '暂无配额数据',
  accountStatus: { active: '', cooling: ' — 冷却中', 'needs-sign-in': ' — 需要登录', disabled: ' — 已停用', error: ' — 出错' },
  meter: (w, left, reset) => `${w}：剩余 ${left}${reset ? ` · ${reset}后重置` : ''}`,
  balance: (label, amount, available) => `${label}：${amount !== undefined ? `余额 ${amount}` : available ? '可用' : '无'}`,
  quotaLow: '配额不足',
  quotaUsedUp: '配额已用完',
  quotaLowBody: (who, w, left, reset) => `${who}：${w} 窗口剩余 ${left}${reset ? `，${reset}后重置` : ''}。`,
  quotaReset: '配额已重置',
  quotaResetBody: (who, w, left) => `${who}：${w} 窗口已恢复到剩余 ${left}。`,
  signInNeeded: '需要登录',
  signInNeededBody: (who) => `${who} 需要重新登录。`,
  portBusy: '端口被占用',
  proxyError: '代理错误',
  signedIn: '已登录',
  signedInBody: (who) => `${who} 已可使用。`,
  signInFailed: '登录失败',
  signInFailedBody: (p, m) => `${p}：${m ?? '登录未完成'}`,
  signInCodeCopied: '登录代码已复制',
  signInCodeBody: (code) => `请在刚打开的页面中输入 ${code}。`,
  unsafeSignInUrl: '登录地址不是安全的 https URL。',
  updateReady: '更新已就绪',
  updateReadyBody: (v) => `Switchyard ${v} 已下载。在托盘菜单中选择“重启以更新”即可安装。`,
  updateConfirmBody: (v) => `Switchyard ${v} 已就绪。现在重启以安装吗？代理会短暂停止。`,
  restartNow: '立即重启',
  later: '稍后',
  ok: '好',
  noUpdates: '没有更新',
  noUpdatesBody: '你正在使用最新版本的 Switchyard。',
  updateCheckFailed: '检查更新失败',
  updates: '更新',
  updatesPackagedOnly: '只有安装包版本才能更新。',
  updatesUnavailable: '此版本不提供更新。',
};

const TABLES: Record<ShellLang, ShellStrings> = { en, 'zh-CN': zhCN };

export function shellStrings(lang: ShellLang): ShellStrings {
  return TABLES[lang];
}
