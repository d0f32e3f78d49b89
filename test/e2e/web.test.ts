import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePerson } from '../../src/app/access/register.ts';
import type { Role } from '../../src/domain/people.ts';
import type { ItemRow } from '../../src/ports/item-search.ts';
import { type ApiHarness, createApiHarness, dockRecordings, personWithToken, waitForMedia } from '../support/api.ts';
import { waitFor } from '../support/harness.ts';
import { makeClip, makeTruncatedClip, makeWav } from '../support/media-fixtures.ts';

/** Screenshots of every page checked, per role and width (gitignored). */
const ARTIFACTS = join(import.meta.dirname, '../../.artifacts/web');
const AXE = readFileSync(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };

/** Debian's chromium, headless, with nothing reaching out of this machine. CSP is bypassed only so axe-core can be injected. */
async function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-profile-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    bypassCSP: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** People as an agency has them: Chinese names, each with a badge and a password. */
const staff: Record<string, { role: Role; name: string }> = {
  'ARC-1': { role: 'archivist', name: '张伟' },
  'AUX-1': { role: 'auxiliary', name: '李娜' },
  'SUP-1': { role: 'supervisor', name: '王芳' },
  'HEAD-1': { role: 'head', name: '刘强' },
  'ADM-1': { role: 'admin', name: '陈静' },
  'AUD-1': { role: 'auditor', name: '赵敏' },
  'P-2001': { role: 'officer', name: '孙磊' },
};
const password = (badge: string) => `password of ${badge}`;

/** axe-core's critical and serious violations on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => (window as unknown as { axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run({ resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the web page, in headless Chromium', () => {
  let h: ApiHarness;
  let browser: BrowserContext;
  let base: string;
  let clip: ItemRow;
  let call: ItemRow;
  let broken: ItemRow;
  const axeReport: string[] = [];
  const evil = '<img src=x onerror="document.body.dataset.pwned=1">';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await createApiHarness();
    h.startWorkers();
    for (const [badge, { role, name }] of Object.entries(staff)) {
      await personWithToken(h, h.services, badge, role, password(badge));
      await savePerson(h.services, { id: badge, name, unit: 'enforcement', role }, { actor: 'test', at: new Date(), reason: null });
    }
    const dir = mkdtempSync(join(tmpdir(), 'web-clip-'));
    const mp4 = readFileSync(await makeClip(join(dir, 'a.mp4'), { seconds: 3, size: '320x240', audio: true }));
    const wav = readFileSync(await makeWav(join(dir, 'b.wav'), 1));
    const bad = readFileSync(await makeTruncatedClip(join(dir, 'c.mp4')));
    // A long path: it must wrap on a phone.
    const longPath = `DCIM/${'100MEDIA_'.repeat(8)}/BROKEN.MP4`;
    const items = await dockRecordings(h, 'WEB-BWC-1', { 'DCIM/CLIP.MP4': mp4, 'AUDIO/CALL.WAV': wav, [longPath]: bad });
    clip = items.find((i) => i.originalPath === 'DCIM/CLIP.MP4')!;
    call = items.find((i) => i.originalPath === 'AUDIO/CALL.WAV')!;
    broken = items.find((i) => i.originalPath === longPath)!;
    // 50 photos for the search page's paint time.
    const photos: Record<string, Buffer> = {};
    for (let i = 0; i < 50; i++) {
      photos[`DCIM/P${String(i).padStart(3, '0')}.PNG`] = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: (i * 5) % 256, g: 90, b: 200 - i } } }).png().toBuffer();
    }
    const photoItems = await dockRecordings(h, 'WEB-CAM-2', photos);
    // Media work starts once both devices are secured: on a busy machine it would slow securing past the wait.
    await h.startMediaWorkers();
    await waitForMedia(h, clip.id);
    await waitFor('media of 50 photos', async () => {
      const media = await h.services.media.catalog.mediaOf(photoItems.map((p) => p.id));
      return [...media.values()].filter((m) => m.state === 'ready').length === photoItems.length || null;
    }, 180_000);
    await waitFor('the broken clip judged', async () => {
      const media = (await h.services.media.catalog.mediaOf([broken.id])).get(broken.id);
      return media && media.state !== 'pending' ? media : null;
    }, 120_000);
    base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  }, 400_000);
  afterAll(async () => {
    console.log(`axe-core (critical/serious violations per page and role):\n${axeReport.join('\n')}`);
    await browser?.close();
    await h?.close();
  });

  /** A fresh page with no session (the profile's cookies are shared by its pages). */
  async function loggedOut(viewport = DESKTOP): Promise<Page> {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    return page;
  }

  async function logIn(badge: string, viewport = DESKTOP): Promise<Page> {
    const page = await loggedOut(viewport);
    await page.goto(base);
    await page.fill('#login-form [name=badge]', badge);
    await page.fill('#login-form [name=password]', password(badge));
    await page.click('#login-form button');
    await page.waitForSelector('#logout');
    return page;
  }

  /** Opens a page by its hash and waits until it has loaded (no busy region left). */
  async function open(page: Page, hash: string, ready: string): Promise<void> {
    await page.goto(`${base}/${hash}`);
    await page.waitForSelector(ready);
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  }

  /**
   * At phone and desktop width: no horizontal scroll, no critical or serious axe violation; a
   * screenshot of each is kept.
   */
  async function check(page: Page, role: string, name: string): Promise<void> {
    for (const [label, size] of [['390', PHONE], ['1366', DESKTOP]] as const) {
      await page.setViewportSize(size);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
      expect(widths.scroll, `${role} ${name} at ${label} px`).toBeLessThanOrEqual(widths.view);
      await page.screenshot({ path: join(ARTIFACTS, `${role}-${name}-${label}.png`), fullPage: true });
    }
    const problems = await axeProblems(page);
    axeReport.push(`${role} ${name}: ${problems.length === 0 ? 'none' : problems.join('; ')}`);
    expect(problems, `${role} ${name}`).toEqual([]);
  }

  it('is Chinese by default, and English when switched (remembered by the browser)', async () => {
    const page = await loggedOut(PHONE);
    await page.goto(base);
    await page.waitForSelector('#login-form');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#login-form')).toContain('警号');
    await check(page, 'anonymous', 'login');
    await page.click('#locale');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#login-form')).toContain('Badge');
    await page.reload();
    await page.waitForSelector('#login-form');
    expect(await page.textContent('#login-form')).toContain('Badge');
    await page.click('#locale');
    expect(await page.textContent('#login-form')).toContain('警号');
    await page.close();
  });

  it('lets an archivist search, open a result by keyboard, play it, tag it from the checklist, and read the trail without their own reads', async () => {
    const page = await logIn('ARC-1');
    expect(await page.textContent('#who')).toBe('张伟 (ARC-1) · 档案管理员');
    // People by name with badge; category/phase as the checklist's pairs.
    expect(await page.$$eval('#search-form [name=officer] option', (o) => o.map((x) => x.textContent))).toContain('孙磊 (P-2001)');
    expect(await page.$$eval('#search-form [name=pair] option', (o) => o.map((x) => x.textContent))).toContain('行政处罚 / 听证');
    await page.fill('#search-form [name=device]', 'WEB-BWC-1');
    await page.click('#search-form button[type=submit]');
    await page.waitForSelector(`#results li[data-id="${clip.id}"]`);
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    expect(await page.textContent('.hint')).toContain('Asia/Shanghai');
    await check(page, 'archivist', 'search');

    // Keyboard alone: Tab until a result link has the focus, with a visible outline; Enter opens it.
    let focused = '';
    for (let i = 0; i < 40 && !focused.startsWith('#/item/'); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('href') ?? '');
    }
    expect(focused).toMatch(/^#\/item\//);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#item-id');
    await page.goto(`${base}/#/item/${clip.id}`);
    await page.waitForSelector('#player');
    await page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('#player')!;
      video.muted = true;
      return video.play();
    });
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#player')!;
      return !video.paused && video.currentTime > 0.2 && video.readyState >= 3;
    }, undefined, { timeout: 20_000 });
    const facts = await page.textContent('.facts');
    expect(facts).toMatch(/KB|MB/);
    expect(facts).not.toContain('mtime');
    expect(facts).toMatch(/GMT\+8/);

    // Category and phase come from the checklist's valid pairs, named in Chinese.
    const pairs = await page.$$eval('#tag-form [name=pair] option', (options) => options.map((o) => o.textContent));
    expect(pairs).toContain('行政检查 / 调查取证');
    expect(pairs).not.toContain('行政检查 / 听证');
    await page.fill('#tag-form [name=caseId]', 'WEB-CASE-1');
    await page.selectOption('#tag-form [name=pair]', 'administrative-inspection/investigation');
    await page.fill('#tag-form [name=reason]', evil);
    await page.click('#tag-form button');
    await page.waitForSelector('#message.ok');
    expect(await page.textContent('#tag-history')).toContain('行政检查 / 调查取证');
    expect(await page.textContent('#tag-history')).toContain('张伟 (ARC-1)');
    expect(await page.textContent('#tag-history')).toContain(evil); // shown as text...
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined(); // ...never run
    expect(await page.locator('#tag-history img').count()).toBe(0);

    // Own reads hidden by default; the toggle shows them.
    const hidden = await page.locator('#trail li').count();
    expect(await page.textContent('#own-hidden')).toMatch(/已隐藏你自己的 \d+ 条查阅记录/);
    await page.check('#show-own');
    expect(await page.locator('#trail li').count()).toBeGreaterThan(hidden);
    await check(page, 'archivist', 'item');
    await page.close();
  });

  it('says in words why a recording cannot be played, and the page stays within a phone screen with a long path', async () => {
    const page = await logIn('ARC-1', PHONE);
    await open(page, `#/item/${broken.id}`, '#media-state');
    expect(await page.getAttribute('#media-state', 'class')).toMatch(/unplayable|failed/);
    expect(await page.textContent('#media-state')).toMatch(/无法播放|媒体处理失败/);
    expect(await page.locator('#player').count()).toBe(0);
    await check(page, 'archivist', 'item-unplayable');
    await page.close();
  });

  it('shows loading while an answer is awaited, and media pending or incomplete in words', async () => {
    const page = await logIn('ARC-1', PHONE);
    await open(page, '#/search', '#search-form');
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/items?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.click('#untagged');
    await page.waitForSelector('#results[aria-busy="true"] .loading');
    expect(await page.textContent('#results')).toContain('正在加载');
    release();
    await page.waitForSelector('#results li');
    await page.unroute('**/api/items?*');

    // The page's words for states the server reports: no media yet, and media made in part.
    const cases = [
      { media: null, words: '媒体处理中', players: 0 },
      { media: { state: 'ready', reason: 'thumbnails: ffmpeg timed out', derivatives: [] }, words: '部分完成：thumbnails: ffmpeg timed out', players: 1 },
    ];
    for (const { media, words, players } of cases) {
      await page.route(`**/api/items/${clip.id}`, async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, json: { ...(await res.json()), media } });
      });
      await open(page, `#/item/${clip.id}`, '#media-state');
      expect(await page.textContent('#media-state')).toContain(words);
      expect(await page.locator('#player').count()).toBe(players);
      await page.unroute(`**/api/items/${clip.id}`);
      await page.goto(`${base}/#/search`);
    }
    await page.close();
  });

  it('shows an auxiliary the untagged list, hides what the role may not do, and says why a recording is refused', async () => {
    const page = await logIn('AUX-1');
    await open(page, '#/search', '#search-form');
    await page.click('#untagged');
    await page.waitForSelector(`#results li[data-id="${call.id}"]`);
    expect(await page.locator(`#results li[data-id="${clip.id}"]`).count()).toBe(0); // tagged above
    await check(page, 'auxiliary', 'untagged');
    await open(page, `#/item/${call.id}`, '#item-id');
    expect(await page.locator('#level-form').count()).toBe(0);
    expect(await page.locator('#download').count()).toBe(0);
    expect(await page.locator('#tag-form').count()).toBe(1);

    await h.as('supervisor', { method: 'PUT', url: `/api/items/${call.id}/confidentiality`, payload: { level: 'confidential', reason: 'state secret' } });
    await page.reload();
    await page.waitForSelector('#message:not([hidden])');
    // Refused (403, or 404 once a recording above one's clearance is answered as unknown), naming it; nothing of it shown.
    expect(await page.textContent('#message')).toContain(call.id);
    expect(await page.locator('.facts').count()).toBe(0);
    await page.close();
  });

  it('lets a supervisor set the level from a labelled list, and close a case', async () => {
    const page = await logIn('SUP-1');
    await open(page, `#/item/${clip.id}`, '#level-form');
    await page.selectOption('#level-form select', 'restricted');
    await page.fill('#level-form [name=reason]', '涉及个人隐私');
    await page.click('#level-form button');
    await page.waitForSelector('#message.ok');
    expect(await page.textContent('.facts')).toContain('限制（隐私、商业秘密）');
    await check(page, 'supervisor', 'item');

    await open(page, '#/cases/WEB-CASE-1', '#close-form');
    expect(await page.textContent('#case-state')).toMatch(/不完整|齐全/);
    await page.fill('#close-form [name=endedAt]', '2026-01-05T17:30');
    await page.click('#close-form button');
    await page.waitForSelector('#message.ok');
    // The time typed is read in the agency's zone (Asia/Shanghai, UTC+8), whatever the browser's zone.
    expect((await h.services.records.closure('WEB-CASE-1'))?.endedAt.toISOString()).toBe('2026-01-05T09:30:00.000Z');
    await check(page, 'supervisor', 'case');
    await page.close();
  });

  it('shows an archivist the case files with their deadline and the copy requests they make', async () => {
    const page = await logIn('ARC-1');
    await open(page, '#/cases', '#case-files');
    expect(await page.textContent('#case-files')).toContain('WEB-CASE-1');
    expect(await page.textContent('#case-files')).toMatch(/逾期|待归档|剩/);
    await check(page, 'archivist', 'case-files');
    // In English, the same page and a recording name everything in English, from the checklist's English names.
    await page.click('#locale');
    await page.waitForSelector('#case-files');
    expect(await page.textContent('h1')).toBe('Cases and case files');
    expect(await page.textContent('#case-files')).toMatch(/overdue|due/);
    await open(page, `#/item/${clip.id}`, '.facts');
    expect(await page.textContent('.facts')).toContain('Administrative inspection / Investigation and evidence');
    expect(await page.textContent('.facts')).toContain('Restricted (privacy, trade secrets)');
    await check(page, 'archivist-en', 'item');
    await page.click('#locale');
    await open(page, `#/item/${clip.id}`, '#copy-form');
    await page.fill('#copy-form [name=party]', 'Lawyer <b>Li</b>');
    await page.fill('#copy-form [name=reason]', '听证需要');
    await page.click('#copy-form button');
    await page.waitForSelector('#message.ok');
    await open(page, '#/copies', 'h2');
    expect(await page.locator('#pending-copies button').count()).toBe(0); // only the head decides
    await check(page, 'archivist', 'copies');
    await page.close();
  });

  it('shows the head each pending request with its recordings, their level and the requester, and takes a decision with a reason', async () => {
    const page = await logIn('HEAD-1');
    await open(page, '#/copies', '#pending-copies');
    const card = await page.textContent('#pending-copies');
    expect(card).toContain('Lawyer <b>Li</b>'); // as text
    expect(card).toContain('张伟 (ARC-1)');
    expect(card).toContain('限制（隐私、商业秘密）');
    expect(card).toContain('视频');
    await check(page, 'head', 'copies');
    await page.fill('#pending-copies [name=reason]', '符合规定');
    await page.click('#pending-copies button[value=approve]');
    await page.waitForSelector('#message.ok');
    expect(await page.textContent('main')).toContain('没有待审批的复制申请');
    await page.close();
  });

  it('gives the admin people, devices, alerts and the queue link, and no search', async () => {
    const page = await logIn('ADM-1');
    await page.waitForSelector('#people');
    expect(await page.locator('nav a[data-page=search]').count()).toBe(0);
    expect(await page.locator('#search-form').count()).toBe(0);
    expect(await page.textContent('#people')).toContain('孙磊 (P-2001) · 执法人员 · 执法机构');
    expect(await page.textContent('#devices')).toContain('WEB-BWC-1');
    expect(await page.getAttribute('a[href="/admin/queues"]', 'href')).toBe('/admin/queues');
    await check(page, 'admin', 'people-devices');
    await open(page, '#/alerts', 'h1');
    await check(page, 'admin', 'alerts');
    await page.close();
  });

  it("gives the auditor a person's trail, an item's trail, and the audit log of a date range as CSV", async () => {
    const page = await logIn('AUD-1');
    await open(page, '#/audit', '#person-trail');
    await page.selectOption('#person-trail [name=badge]', 'ARC-1');
    await page.click('#person-trail button');
    await page.waitForSelector('#person-trail-list li');
    expect(await page.textContent('#person-trail-list')).toContain('张伟 (ARC-1)');
    await check(page, 'auditor', 'audit');
    // Today as the page reads dates: in the agency's zone (after 16:00 UTC it is already tomorrow in Shanghai).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await page.fill('#audit-csv [name=from]', today);
    await page.fill('#audit-csv [name=to]', today);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-csv button')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^seq,at,kind,type,actor/);
    expect(csv).toContain(clip.id);
    await open(page, `#/item/${clip.id}`, '#trail');
    expect(await page.locator('#player').count()).toBe(0); // auditors do not play
    expect(await page.textContent('#media-state')).toContain('你的角色不能播放');
    await check(page, 'auditor', 'item');
    await page.close();
  });

  it('gives an officer search, tags and copy requests, and nothing their role may not do', async () => {
    const page = await logIn('P-2001', PHONE);
    await page.waitForSelector('#search-form');
    expect(await page.$$eval('nav a', (links) => links.map((a) => a.getAttribute('data-page')))).toEqual(['search']);
    await open(page, '#/search?device=WEB-CAM-2', '#results li');
    await page.click('#results li a');
    await page.waitForSelector('#item-id');
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    expect(await page.locator('#tag-form').count()).toBe(1);
    expect(await page.locator('#copy-form').count()).toBe(1);
    for (const absent of ['#level-form', '#download', '#trail', '#show-own']) expect(await page.locator(absent).count(), absent).toBe(0);
    await check(page, 'officer', 'item');
    await page.close();
  });

  it('paints a search page of 50 results with thumbnails (time printed, not asserted)', async () => {
    const page = await logIn('ARC-1');
    const started = Date.now();
    await page.goto(`${base}/#/search?device=WEB-CAM-2&limit=50`);
    // Meaningful: the 50 results are listed and every thumbnail on the screen is drawn (the rest load lazily as one scrolls).
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('#results img')];
      const onScreen = images.filter((i) => i.getBoundingClientRect().top < window.innerHeight);
      return images.length === 50 && onScreen.length > 0 && onScreen.every((i) => i.complete && i.naturalWidth > 0);
    }, undefined, { timeout: 30_000 });
    const elapsed = Date.now() - started;
    const paints = await page.evaluate(() => new Promise<{ fcp: number | null; lcp: number | null }>((resolve) => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      new PerformanceObserver((list) => resolve({ fcp, lcp: list.getEntries().at(-1)?.startTime ?? null })).observe({ type: 'largest-contentful-paint', buffered: true });
      setTimeout(() => resolve({ fcp, lcp: null }), 1000);
    }));
    console.log(`search page of 50 results: listed with the thumbnails on screen drawn ${elapsed} ms after navigation (first contentful paint ${Math.round(paints.fcp ?? -1)} ms, largest contentful paint ${Math.round(paints.lcp ?? -1)} ms)`);
    // Every thumbnail loads when scrolled to.
    const height = await page.evaluate(() => document.body.scrollHeight);
    for (let y = 0; y <= height; y += 400) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(30);
    }
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#results img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 30_000 });
    await check(page, 'archivist', 'search-50');
    await page.close();
  });
});
