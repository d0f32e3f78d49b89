// Words of the page in Chinese (the default) and English, and how numbers, sizes and times are written.
// The language a person picks is kept in their browser; the agency's default and zone come from /ui/settings.

const zh = {
  appName: '执法音像证据管理', language: 'English', languageName: '切换到英文', skip: '跳到正文',
  login: '登录', badge: '警号', password: '密码', logout: '退出', loading: '正在加载…', none: '无', untagged: '未标注',
  nav: { search: '检索', copies: '复制申请', cases: '案件与案卷', admin: '人员与设备', audit: '审计', alerts: '告警' },
  refused: '无权操作：', needReason: '请填写理由（会记入审计日志）。', reason: '理由', save: '保存', back: '返回检索结果',
  search: {
    title: '检索音像记录', case: '案件编号', officer: '执法人员（警号）', device: '设备编号', checklist: '类别 / 环节', unit: '承办单位',
    since: '拍摄时间起', until: '拍摄时间止', sha256: 'SHA-256 值', untaggedOnly: '只看未标注', submit: '检索', untaggedList: '未标注清单',
    any: '（不限）', empty: '没有符合条件的音像记录。', more: '加载更多', count: '显示 {n} 条', timesIn: '时间按 {zone} 显示',
  },
  item: {
    title: '音像记录', captured: '拍摄时间', timeSource: '时间来源', device: '设备', path: '设备上的路径', officer: '执法人员', case: '案件',
    checklist: '类别 / 环节', row: '清单事项', unit: '承办单位', retention: '保存期限', tagSource: '标注来源', level: '密级', sha256: 'SHA-256',
    size: '大小', kind: '类型', media: '媒体', secured: '入库时间', download: '下载原件…', downloadWhy: '下载原件的理由（记入审计日志）：',
    tags: '标注', tagSubmit: '修改标注', tagHistory: '标注历史', levelTitle: '密级', levelSubmit: '设置密级', tagsChanged: '标注已修改。',
    levelChanged: '密级已修改。', copyTitle: '申请复制', party: '申请复制的当事人或机关', copySubmit: '提交复制申请', copyCreated: '复制申请已提交，等待负责人审批。',
    trail: '监管链记录', showOwn: '显示我自己的查阅记录', ownHidden: '已隐藏你自己的 {n} 条查阅记录。',
    keep: '（不修改）', noCase: '（不属于任何案件）',
  },
  media: {
    pending: '媒体处理中：预览尚未生成，请稍后再看。', ready: '可播放', failed: '媒体处理失败（可重试）：{reason}',
    unplayable: '无法播放：该文件无法解码，只能下载原件查看（原件已完整保存）。', incomplete: '部分完成：{reason}', noPlay: '你的角色不能播放音像记录。',
  },
  source: { container: '文件内记录的拍摄时间', exif: '照片 EXIF 拍摄时间', mtime: '文件时间（设备上文件的修改时间）' },
  tagSourceNames: { manual: '人工标注', activity: '执法活动匹配', device: '设备分配', untagged: '未标注' },
  levels: { normal: '普通', restricted: '限制（隐私、商业秘密）', confidential: '涉密（国家秘密）' },
  kinds: { video: '视频', photo: '照片', audio: '录音' },
  roles: { officer: '执法人员', auxiliary: '辅助人员', archivist: '档案管理员', supervisor: '法制审核人员', head: '负责人', admin: '系统管理员', auditor: '审计人员' },
  retention: { standard: '一般保存', long: '长期保存', permanent: '永久保存' },
  copies: {
    title: '复制申请', pending: '待审批', all: '全部申请', empty: '没有复制申请。', emptyPending: '没有待审批的复制申请。', requester: '申请人',
    party: '当事人', recordings: '涉及的音像记录', approve: '批准', refuse: '不批准', decided: '已处理。', package: '生成导出包',
    packaged: '导出包已生成，链接 {hours} 小时内有效：', status: { pending: '待审批', approved: '已批准', refused: '未批准', packaged: '已导出' },
    decisionReason: '审批理由',
  },
  cases: {
    title: '案件与案卷', files: '案卷（结案后 30 日内归档）', emptyFiles: '没有已结案的案件。', open: '查看案件', caseId: '案件编号', ended: '结案日期',
    due: '归档期限', status: '状态', daysLeft: '剩 {n} 天', daysOver: '逾期 {n} 天', fileStatus: { due: '待归档', overdue: '已逾期', filed: '已归档', 'filed-late': '逾期归档', archived: '已存档' },
    report: '清单对照', rowStatus: { recorded: '已记录', 'not-reached': '未进行到此环节', missing: '缺少必需记录', none: '无记录（非必需）' },
    incomplete: '不完整：缺少 {n} 项必需记录。', complete: '必需记录齐全。', close: '结案', endedAt: '执法行为结束时间', closeSubmit: '结案',
    file: '生成案卷', archive: '存档（解除法律保全）', done: '已完成。', mandatory: '必需', recordingsN: '{n} 条记录',
  },
  admin: {
    people: '人员', devices: '设备', name: '姓名', unit: '单位', role: '角色', savePerson: '保存人员', queues: '任务队列面板', alerts: '告警',
    noAlerts: '当前没有告警。', serial: '设备编号', model: '型号', assigned: '当前使用人', lastSeen: '最近接入', severity: { warning: '警告', critical: '严重' },
    personSaved: '人员已保存。',
  },
  audit: {
    title: '审计', person: '按人员查看记录', personSubmit: '查看', item: '按音像记录查看：在检索结果中打开记录即可看到其监管链。', csv: '导出审计日志（CSV）',
    from: '起始日期', to: '截止日期（含）', csvSubmit: '下载 CSV', empty: '没有记录。',
  },
  trailTypes: {
    'items:search': '检索', 'items:read': '查看', 'items:play': '播放', 'items:download': '下载原件', 'items:tag': '修改标注', 'items:classify': '设置密级', 'trail:read': '查看监管链',
    'copies:create': '申请复制', 'copies:decide': '审批复制', 'copies:export': '生成导出包', 'cases:read': '查看案件', 'cases:close': '结案', 'audit:read': '查看审计日志',
    'device-detected': '设备接入', 'device-undocked': '设备拔出', 'session-interrupted': '接入中断', 'file-found': '发现文件', 'file-refused': '文件被拒收', hashed: '计算哈希',
    stored: '存入证据库', verified: '校验一致', 'manifest-written': '写入清单', 'duplicate-content': '重复内容', redocked: '再次接入', 'secure-failed': '入库失败',
    tagged: '自动标注', 'tag-changed': '标注变更', 'retention-set': '设定保存期限', 'legal-hold-placed': '法律保全', 'legal-hold-lifted': '解除法律保全',
    'capture-time-corrected': '更正拍摄时间', 'derivative-stored': '生成预览', 'media-ready': '媒体就绪', 'media-unplayable': '无法解码', 'media-failed': '媒体处理失败',
    'compliance-breach': '违反时限', 'clock-drift': '设备时钟偏差', 'file-wiped': '设备上已清除', 'wipe-refused': '拒绝清除',
    login: '登录', 'password-set': '设置密码', 'token-created': '创建令牌', 'token-revoked': '吊销令牌', 'case-files:read': '查看案卷', 'case-files:create': '生成案卷',
    'case-files:archive': '案卷存档', 'copies:read': '查看复制申请', 'copies:download': '下载导出包', 'activities:write': '导入执法活动', 'trail-export': '导出记录', query: '命令行检索', verify: '完整性校验',
  },
  by: '操作人', on: '于', result: { refused: '被拒绝', failed: '失败' },
};

const en = {
  appName: 'Evidence recordings', language: '中文', languageName: 'Switch to Chinese', skip: 'Skip to content',
  login: 'Log in', badge: 'Badge', password: 'Password', logout: 'Log out', loading: 'Loading…', none: 'none', untagged: 'untagged',
  nav: { search: 'Search', copies: 'Copy requests', cases: 'Cases and case files', admin: 'People and devices', audit: 'Audit', alerts: 'Alerts' },
  refused: 'Refused: ', needReason: 'Give a reason (it is recorded in the audit log).', reason: 'Reason', save: 'Save', back: 'Back to results',
  search: {
    title: 'Search recordings', case: 'Case', officer: 'Officer (badge)', device: 'Device', checklist: 'Category / phase', unit: 'Unit',
    since: 'Captured from', until: 'Captured until', sha256: 'SHA-256', untaggedOnly: 'Untagged only', submit: 'Search', untaggedList: 'Untagged list',
    any: '(any)', empty: 'No recordings match.', more: 'More', count: '{n} shown', timesIn: 'Times in {zone}',
  },
  item: {
    title: 'Recording', captured: 'Captured', timeSource: 'Time from', device: 'Device', path: 'Path on the device', officer: 'Officer', case: 'Case',
    checklist: 'Category / phase', row: 'Checklist item', unit: 'Unit', retention: 'Retention', tagSource: 'Tagged by', level: 'Confidentiality', sha256: 'SHA-256',
    size: 'Size', kind: 'Kind', media: 'Media', secured: 'Secured', download: 'Download original…', downloadWhy: 'Why do you download the original? (recorded in the audit log)',
    tags: 'Tags', tagSubmit: 'Change tags', tagHistory: 'Tag history', levelTitle: 'Confidentiality', levelSubmit: 'Set level', tagsChanged: 'Tags changed.',
    levelChanged: 'Confidentiality changed.', copyTitle: 'Request a copy', party: 'Party or authority the copy is for', copySubmit: 'Request the copy', copyCreated: 'Copy requested; the head decides.',
    trail: 'Custody trail', showOwn: 'Show my own reads', ownHidden: '{n} of your own reads hidden.',
    keep: '(unchanged)', noCase: '(no case)',
  },
  media: {
    pending: 'Media pending: the preview is not made yet; look again shortly.', ready: 'Playable', failed: 'Media processing failed (can be retried): {reason}',
    unplayable: 'Cannot be played: the file cannot be decoded; download the original to view it (it is stored intact).', incomplete: 'Incomplete: {reason}', noPlay: 'Your role does not play recordings.',
  },
  source: { container: 'time recorded in the file', exif: "photo's EXIF time", mtime: 'file time (when the file was last changed on the device)' },
  tagSourceNames: { manual: 'a person', activity: 'matching an activity', device: 'device assignment', untagged: 'untagged' },
  levels: { normal: 'Normal', restricted: 'Restricted (privacy, trade secrets)', confidential: 'Confidential (state secrets)' },
  kinds: { video: 'Video', photo: 'Photo', audio: 'Audio' },
  roles: { officer: 'Officer', auxiliary: 'Auxiliary staff', archivist: 'Archivist', supervisor: 'Legal supervisor', head: 'Agency head', admin: 'Administrator', auditor: 'Auditor' },
  retention: { standard: 'Standard', long: 'Long', permanent: 'Permanent' },
  copies: {
    title: 'Copy requests', pending: 'Pending', all: 'All requests', empty: 'No copy requests.', emptyPending: 'No pending copy requests.', requester: 'Requested by',
    party: 'Party', recordings: 'Recordings', approve: 'Approve', refuse: 'Refuse', decided: 'Decided.', package: 'Build the export package',
    packaged: 'Export package built; the link works for {hours} hours:', status: { pending: 'pending', approved: 'approved', refused: 'refused', packaged: 'exported' },
    decisionReason: 'Reason for the decision',
  },
  cases: {
    title: 'Cases and case files', files: 'Case files (due 30 days after the case ended)', emptyFiles: 'No closed cases.', open: 'Open a case', caseId: 'Case',
    ended: 'Case ended', due: 'Due', status: 'Status', daysLeft: '{n} days left', daysOver: '{n} days overdue', fileStatus: { due: 'due', overdue: 'overdue', filed: 'filed', 'filed-late': 'filed late', archived: 'archived' },
    report: 'Against the checklist', rowStatus: { recorded: 'recorded', 'not-reached': 'phase not reached', missing: 'mandatory recording missing', none: 'none (not mandatory)' },
    incomplete: 'Incomplete: {n} mandatory recordings missing.', complete: 'Every mandatory recording is there.', close: 'Close the case', endedAt: 'Enforcement act ended', closeSubmit: 'Close',
    file: 'File the case', archive: 'Archive (lifts legal holds)', done: 'Done.', mandatory: 'mandatory', recordingsN: '{n} recordings',
  },
  admin: {
    people: 'People', devices: 'Devices', name: 'Name', unit: 'Unit', role: 'Role', savePerson: 'Save person', queues: 'Queue dashboard', alerts: 'Alerts',
    noAlerts: 'No active alerts.', serial: 'Serial', model: 'Model', assigned: 'Assigned to', lastSeen: 'Last docked', severity: { warning: 'warning', critical: 'critical' },
    personSaved: 'Person saved.',
  },
  audit: {
    title: 'Audit', person: "A person's trail", personSubmit: 'Show', item: "A recording's trail: open the recording from the search results.", csv: 'Audit log as CSV',
    from: 'From (date)', to: 'To (date, inclusive)', csvSubmit: 'Download CSV', empty: 'No entries.',
  },
  trailTypes: {
    'items:search': 'search', 'items:read': 'read', 'items:play': 'play', 'items:download': 'original downloaded', 'items:tag': 'tags changed', 'items:classify': 'level set', 'trail:read': 'trail read',
    'copies:create': 'copy requested', 'copies:decide': 'copy decided', 'copies:export': 'export built', 'cases:read': 'case read', 'cases:close': 'case closed', 'audit:read': 'audit log read',
    'device-detected': 'device docked', 'device-undocked': 'device undocked', 'session-interrupted': 'docking interrupted', 'file-found': 'file found', 'file-refused': 'file refused', hashed: 'hashed',
    stored: 'stored', verified: 'verified', 'manifest-written': 'manifest written', 'duplicate-content': 'duplicate content', redocked: 'docked again', 'secure-failed': 'securing failed',
    tagged: 'tagged automatically', 'tag-changed': 'tags changed', 'retention-set': 'retention set', 'legal-hold-placed': 'legal hold placed', 'legal-hold-lifted': 'legal hold lifted',
    'capture-time-corrected': 'capture time corrected', 'derivative-stored': 'preview made', 'media-ready': 'media ready', 'media-unplayable': 'cannot be decoded', 'media-failed': 'media failed',
    'compliance-breach': 'deadline missed', 'clock-drift': 'device clock off', 'file-wiped': 'wiped from the device', 'wipe-refused': 'wipe refused',
    login: 'logged in', 'password-set': 'password set', 'token-created': 'token created', 'token-revoked': 'token revoked', 'case-files:read': 'case files read', 'case-files:create': 'case filed',
    'case-files:archive': 'case file archived', 'copies:read': 'copy requests read', 'copies:download': 'export downloaded', 'activities:write': 'activities imported', 'trail-export': 'trail exported', query: 'query (CLI)', verify: 'integrity check',
  },
  by: 'by', on: 'on', result: { refused: 'refused', failed: 'failed' },
};

const dictionaries = { 'zh-CN': zh, en };
const STORAGE_KEY = 'evidock.locale';
let locale = 'zh-CN';
let timeZone = 'Asia/Shanghai';

/** The configured default, unless this browser's person picked a language. */
export function setup(settings) {
  timeZone = settings.timeZone;
  const picked = localStorage.getItem(STORAGE_KEY);
  locale = dictionaries[picked] ? picked : settings.locale;
  document.documentElement.lang = locale;
}

export function getLocale() {
  return locale;
}

export function switchLocale() {
  locale = locale === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** A text by its dotted key, with `{name}` filled in; an unknown key is shown as itself. */
export function t(key, vars = {}) {
  const text = key.split('.').reduce((node, part) => node?.[part], dictionaries[locale]);
  if (typeof text !== 'string') return key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** A word for a code (level, role, state...), or the code itself when the page has none. */
export function word(group, code) {
  if (code === null || code === undefined) return t('none');
  return dictionaries[locale][group]?.[code] ?? code;
}

/** A time in the agency's zone, with the zone's offset written next to it. */
export function time(iso) {
  if (!iso) return t('none');
  return new Intl.DateTimeFormat(locale, {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'shortOffset',
  }).format(new Date(iso));
}

export function zoneName() {
  const offset = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value;
  return `${timeZone} (${offset})`;
}

/** A wall-clock time typed in the agency's zone (`YYYY-MM-DDTHH:mm`) as an instant. */
export function zonedInstant(local) {
  const guess = new Date(`${local}Z`);
  const offsetAt = (at) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - at.getTime();
  };
  const first = new Date(guess.getTime() - offsetAt(guess));
  return new Date(guess.getTime() - offsetAt(first));
}

/** Bytes as KB, MB, GB (powers of 1024), with the exact count for the record. */
export function size(bytes) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : value.toLocaleString(locale, { maximumFractionDigits: 1 });
  return `${shown} ${units[unit]} (${bytes.toLocaleString(locale)} ${locale === 'en' ? 'bytes' : '字节'})`;
}
