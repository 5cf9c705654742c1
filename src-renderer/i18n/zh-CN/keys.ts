import type { Strings } from '../en';

/** 服务商 API 密钥条目：原地编辑与“测试”（简体中文）。 */
export const keys: Pick<Strings, 'keys'> = {
  keys: {
    test: '测试',
    testSaved: '测试已保存的条目',
    testing: '测试中…',
    testFor: '测试密钥条目 {{name}}',
    editFor: '编辑密钥条目 {{name}}',
    works: '可用',
    failed: '失败',
    noAnswer: '无响应',
    latency: '{{ms}} 毫秒',
    upstreamSays: '上游返回：{{message}}',
    testModel: '测试用模型',
    keyHint: '已遮盖显示。保持不变即保留已保存的密钥，或粘贴新密钥。',
    maskedHint: '遮盖显示（…）的值保持已保存的内容。',
    prefix: '前缀（可选）',
    proxyUrl: '代理地址（可选）',
    headers: '附加请求头（每行一个，名称: 值）',
    excludedModels: '排除的模型（每行一个，支持 * 通配）',
    badHeader: '不是请求头格式（名称: 值）：{{line}}',
    saved: '密钥条目已保存',
    moreKeys: 'config.yaml 中还有 {{n}} 个密钥',
  },
};
