// The customer portal in Debian's Chromium against a release server: Largest Contentful
// Paint and time to interactive (hydrated) of the new-case wizard and of "My cases", and
// the bytes the wizard route transfers (HTML, WASM, JS, CSS; compressed as sent).
// Run by `scripts/bench portal`.
import { chromium } from '@playwright/test';

const base = process.env.CASEBOARD_BENCH_URL ?? 'http://127.0.0.1:3200';
const RUNS = 7;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ baseURL: base });
const page = await context.newPage();
await page.goto('/sign-in');
await page.waitForSelector('body[data-hydrated="true"]');
await page.getByLabel('Email').fill('alice@acme.example');
await page.getByLabel('Password').fill('caseboard-demo');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(path, cold) {
  const lcp = [];
  const tti = [];
  let bytes = null;
  for (let run = 0; run < RUNS; run++) {
    // A cold cache every time when asked: what a first visit costs.
    const client = await context.newCDPSession(page);
    if (cold) await client.send('Network.clearBrowserCache');
    const sizes = {};
    await client.send('Network.enable');
    client.on('Network.loadingFinished', (e) => { sizes[e.requestId] = e.encodedDataLength; });
    const urls = {};
    client.on('Network.responseReceived', (e) => { urls[e.requestId] = e.response.url; });
    await page.goto(path);
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
    tti.push(Number(await page.getAttribute('body', 'data-hydrated-at')));
    lcp.push(await page.evaluate(() => new Promise((resolve) => {
      new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve(entries[entries.length - 1].startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    })));
    if (run === 0) {
      bytes = { html: 0, wasm: 0, js: 0, css: 0, other: 0 };
      for (const [id, size] of Object.entries(sizes)) {
        const url = urls[id] ?? '';
        const kind = url.endsWith('.wasm') ? 'wasm' : url.endsWith('.js') ? 'js' : url.endsWith('.css') ? 'css'
          : url.includes('/api/') ? 'other' : 'html';
        bytes[kind] += size;
      }
    }
    await client.detach();
  }
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`${path} (${cold ? 'cold cache' : 'warm cache'}): LCP median ${median(lcp).toFixed(0)} ms, ` +
    `interactive median ${median(tti).toFixed(0)} ms` +
    (cold ? `; transferred: HTML ${kib(bytes.html)}, WASM ${kib(bytes.wasm)}, JS ${kib(bytes.js)}, CSS ${kib(bytes.css)}, API ${kib(bytes.other)}` : ''));
}

await measure('/cases/new', true);
await measure('/cases/new', false);
await measure('/cases', true);
await browser.close();
