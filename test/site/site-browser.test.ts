import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, demoProject, REPO_ROOT } from '../helpers/demo-project.js';

// The static site in a real browser: Debian's chromium, driven over the DevTools protocol by
// puppeteer-core (which never downloads a browser of its own). .ci/run installs chromium; a machine
// without it skips this file, except under CI, where that is a failure.
const exec = promisify(execFile);
const chromium = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();
if (!chromium && process.env.CI) throw new Error('chromium is not installed; .ci/run installs it');

/** Screenshots this test keeps, for people to look at. */
export const SHOTS_DIR = join(REPO_ROOT, 'target', 'site-screenshots');
const HOSTILE = 'Checkout <script>alert(1)</script> & <img src=x onerror=alert(2)> test';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? htmlFiles(p) : n.endsWith('.html') ? [p] : [];
  });
}

describe.skipIf(!chromium)('static site in headless chromium', () => {
  let site = '';
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    const project = await demoProject();
    // Spec text is untrusted: a hypothesis with markup must reach the page as text.
    const spec = join(project, 'specs', 'checkout_redesign.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/^hypothesis: .*$/m, `hypothesis: "${HOSTILE}"`));
    await exec(process.execPath, [CLI, 'run', 'checkout_redesign', 'homepage_aa', '--project-dir', project, '-q']).catch((e) => {
      if (e.code !== 0 && e.code !== 1) throw e;
    });
    site = join(project, 'site');
    await exec(process.execPath, [CLI, 'site', '--project-dir', project, '--out', site]);
    mkdirSync(SHOTS_DIR, { recursive: true });
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** A page that records console errors, page errors and failed requests, and refuses anything not from file://. */
  async function open(url: string, width: number): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 900 });
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.url().startsWith('file://')) void r.continue();
      else {
        problems.push(`network request to ${r.url()}`);
        void r.abort();
      }
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    page.on('requestfailed', (r) => problems.push(`failed request ${r.url()}: ${r.failure()?.errorText}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  /** Non-white pixels of a PNG, counted in a blank page's canvas (a data: image never taints it). */
  async function inkedPixels(png: string): Promise<{ inked: number; total: number }> {
    const page = await browser.newPage();
    const r = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) inked++;
      return { inked, total: d.length / 4 };
    }, `data:image/png;base64,${png}`);
    await page.close();
    return r;
  }

  it('writes only escaped spec text: no script element anywhere', () => {
    const pages = htmlFiles(site);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const p of pages) expect(readFileSync(p, 'utf8')).not.toMatch(/<script|<img src=x/i);
    const pkg = pages.find((p) => p.includes('checkout_redesign') && !p.endsWith('checkout_redesign/index.html'))!;
    expect(readFileSync(pkg, 'utf8')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('loads the index with every experiment, no console error, no failed or remote request', async () => {
    const page = await open(pathToFileURL(join(site, 'index.html')).href, 1100);
    const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.length).toBe(2);
    expect(rows.join(' ')).toContain('SHIP');
    expect(rows.join(' ')).toContain('intact');
    await page.screenshot({ path: join(SHOTS_DIR, 'site-index.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
  });

  it('draws the charts of a package page, reads on a phone, and prints', async () => {
    const runDir = readdirSync(join(site, 'checkout_redesign')).find((n) => /^\d{8}T/.test(n))!;
    const page = await open(pathToFileURL(join(site, 'checkout_redesign', runDir, 'index.html')).href, 1100);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Checkout redesign');
    expect(await page.$eval('article', (a) => a.textContent)).toContain('<script>alert(1)</script>');
    const charts = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })));
    expect(charts.map((c) => c.src).sort()).toEqual(['charts/dimensions.svg', 'charts/exposures-per-day.svg', 'charts/lift.svg', 'charts/over-time.svg']);
    expect(charts.every((c) => c.ok)).toBe(true);
    await page.screenshot({ path: join(SHOTS_DIR, 'site-package.png'), fullPage: true });
    for (const name of ['lift', 'over-time']) {
      const img = await page.$(`img[src="charts/${name}.svg"]`);
      await img!.scrollIntoView();
      const box = (await img!.boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      const png = (await page.screenshot({ clip: box, encoding: 'base64' })) as string;
      writeFileSync(join(SHOTS_DIR, `chart-${name}.png`), Buffer.from(png, 'base64'));
      const { inked, total } = await inkedPixels(png);
      // Axes, labels, points and intervals: a drawn chart inks a few percent of its box, a blank one none.
      expect(inked / total).toBeGreaterThan(0.01);
    }
    // A phone: the page itself does not scroll sideways (wide tables scroll inside their own box).
    await page.setViewport({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.screenshot({ path: join(SHOTS_DIR, 'site-package-phone.png') });
    const pdf = await page.pdf({ format: 'A4' });
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
    expect(problems).toEqual([]);
  });
});
