import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemRow } from '../../src/ports/item-search.ts';
import { type ApiHarness, createApiHarness, dockRecordings, personWithToken, waitForMedia } from '../support/api.ts';
import { makeClip, makeWav } from '../support/media-fixtures.ts';

/** Debian's chromium, headless, with nothing reaching out of this machine. */
async function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-profile-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

describe('the web page, in headless Chromium', () => {
  let h: ApiHarness;
  let browser: BrowserContext;
  let base: string;
  let clip: ItemRow;
  let call: ItemRow;
  const evil = '<img src=x onerror="document.body.dataset.pwned=1">';

  beforeAll(async () => {
    h = await createApiHarness();
    h.startWorkers();
    await h.startMediaWorkers();
    await personWithToken(h, h.services, 'ARC-1', 'archivist', 'archivist password');
    await personWithToken(h, h.services, 'AUX-1', 'auxiliary', 'auxiliary password');
    const dir = mkdtempSync(join(tmpdir(), 'web-clip-'));
    const mp4 = readFileSync(await makeClip(join(dir, 'a.mp4'), { seconds: 3, size: '320x240', audio: true }));
    const wav = readFileSync(await makeWav(join(dir, 'b.wav'), 1));
    const items = await dockRecordings(h, 'WEB-BWC-1', { 'DCIM/CLIP.MP4': mp4, 'AUDIO/CALL.WAV': wav });
    clip = items.find((i) => i.originalPath === 'DCIM/CLIP.MP4')!;
    call = items.find((i) => i.originalPath === 'AUDIO/CALL.WAV')!;
    await waitForMedia(h, clip.id);
    base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** A fresh page with no session (the profile's cookies are shared by its pages). */
  async function loggedOut(): Promise<Page> {
    await browser.clearCookies();
    return browser.newPage();
  }

  async function logIn(badge: string, password: string): Promise<Page> {
    const page = await loggedOut();
    await page.goto(base);
    await page.fill('#login-form [name=badge]', badge);
    await page.fill('#login-form [name=password]', password);
    await page.click('#login-form button');
    await page.waitForSelector('#app-view:not([hidden])');
    return page;
  }

  it('logs in, searches, plays the proxy, and shows a tag change in the history', async () => {
    const page = await logIn('ARC-1', 'archivist password');
    expect(await page.textContent('#who')).toContain('archivist');
    await page.fill('#search-form [name=device]', 'WEB-BWC-1');
    await page.click('#search-form button[type=submit]');
    await page.waitForSelector(`#results tr[data-id="${clip.id}"]`);
    // Thumbnails load through the session cookie.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#results img')].every((i) => i.complete && i.naturalWidth > 0));

    await page.click(`#results tr[data-id="${clip.id}"]`);
    await page.waitForSelector('#player:not([hidden])');
    await page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('#player')!;
      video.muted = true;
      return video.play();
    });
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#player')!;
      return !video.paused && video.currentTime > 0.2 && video.readyState >= 3;
    }, undefined, { timeout: 20_000 });

    await page.fill('#tag-form [name=caseId]', 'WEB-CASE-1');
    await page.fill('#tag-form [name=category]', 'administrative-inspection');
    await page.fill('#tag-form [name=phase]', 'investigation');
    await page.fill('#tag-form [name=reason]', evil);
    await page.click('#tag-form button');
    await page.waitForSelector('#message.ok');
    await expect.poll(() => page.textContent('#tag-history')).toContain('WEB-CASE-1');
    expect(await page.textContent('#tag-history')).toContain(evil); // shown as text...
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined(); // ...never run
    expect(await page.locator('#tag-history img').count()).toBe(0);
    await page.close();
  });

  it('shows the untagged list, and a clear message when the role may not do something', async () => {
    const page = await logIn('AUX-1', 'auxiliary password');
    // The clip was tagged by the archivist above; the call recording is still untagged.
    await page.click('#untagged');
    await page.waitForSelector(`#results tr[data-id="${call.id}"]`);
    expect(await page.locator('#results tbody tr').count()).toBe(1);
    await page.fill('#search-form [name=case]', 'WEB-CASE-1');
    await page.click('#search-form button[type=submit]');
    await page.click(`#results tr[data-id="${clip.id}"]`);
    await page.waitForSelector('#item-view:not([hidden])');
    await page.selectOption('#level-form select', 'restricted');
    await page.fill('#level-form [name=reason]', 'private home');
    await page.click('#level-form button');
    await page.waitForSelector('#message:not([hidden]):not(.ok)');
    expect(await page.textContent('#message')).toMatch(/^Refused: your role \(auxiliary\) may not change a recording's confidentiality level/);
    await page.close();
  });

  it('refuses a wrong password with the reason, and lists pending copy requests for the head', async () => {
    const page = await loggedOut();
    await page.goto(base);
    await page.fill('#login-form [name=badge]', 'ARC-1');
    await page.fill('#login-form [name=password]', 'not the password');
    await page.click('#login-form button');
    await page.waitForSelector('#message:not([hidden])');
    expect(await page.textContent('#message')).toContain('badge or password is wrong');

    await h.as('auxiliary', { method: 'POST', url: '/api/copy-requests', payload: { party: 'Lawyer <b>Li</b>', reason: 'hearing', itemIds: [clip.id] } });
    await personWithToken(h, h.services, 'HEAD-1', 'head', 'head of the agency');
    const head = await logIn('HEAD-1', 'head of the agency');
    await head.waitForSelector('#copies li button');
    expect(await head.textContent('#copies')).toContain('Lawyer <b>Li</b>: 1 recording(s)');
    await page.close();
    await head.close();
  });
});
