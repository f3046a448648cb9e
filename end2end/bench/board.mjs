// Board with 2,000 cards in Debian's Chromium: time to interactive (navigation start →
// hydrated, as the page records it) and the time to apply one live update (a move sent
// from the page → the card in its new column, seen by a MutationObserver).
// Run by `scripts/bench board` against a release server on a fresh database.
import { chromium } from '@playwright/test';

const base = process.env.CASEBOARD_BENCH_URL ?? 'http://127.0.0.1:3200';
const CARDS = Number(process.env.CASEBOARD_BENCH_CARDS ?? 2000);
const RUNS = 5;

async function token(email) {
  const r = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'caseboard-demo' }),
  });
  return (await r.json()).token;
}

const chloe = await token('chloe@initech.example');
const sam = await token('sam@caseboard.example');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ baseURL: base })).newPage();
await page.goto('/sign-in');
await page.waitForSelector('body[data-hydrated="true"]');
await page.getByLabel('Email').fill('sam@caseboard.example');
await page.getByLabel('Password').fill('caseboard-demo');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));

async function measure(label) {
  const tti = [];
  const update = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto('/board');
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
    tti.push(Number(await page.getAttribute('body', 'data-hydrated-at')));
    const cards = await page.locator('li.card').count();
    await page.waitForSelector('.live-status[data-live="live"]');
    // One live update: move a New card to Confirmed from the page; time until it is there.
    const ms = await page.evaluate(async (token) => {
      const card = document.querySelector('section.column[data-status="new"] li.card');
      if (!card) return null;
      const number = card.dataset.case;
      const target = document.querySelector('section.column[data-status="confirmed"]');
      const seen = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (target.querySelector(`li.card[data-case="${number}"]`)) { observer.disconnect(); resolve(performance.now()); }
        });
        observer.observe(target, { childList: true, subtree: true });
      });
      const current = await (await fetch(`/api/v1/cases/${number}`, { headers: { authorization: `Bearer ${token}` } })).json();
      const t0 = performance.now();
      // Another engineer's move (not this page's own action): it arrives by the live stream.
      await fetch(`/api/v1/cases/${number}/status`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'confirmed', expected_version: current.version }),
      });
      return (await seen) - t0;
    }, sam);
    if (ms !== null) update.push(ms);
    console.log(`run ${run + 1}: ${cards} cards shown, interactive at ${tti.at(-1).toFixed(0)} ms` +
      (ms === null ? '' : `, live update applied in ${ms.toFixed(1)} ms`));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${label}: time to interactive median ${median(tti).toFixed(0)} ms` +
    (update.length ? `; one live update median ${median(update).toFixed(1)} ms` : ''));
}

await measure('board with the demo cases only (baseline)');
const existing = await (await fetch(`${base}/api/v1/cases`, { headers: { authorization: `Bearer ${sam}` } })).json();
for (let i = existing.length; i < CARDS; i += 10) {
  await Promise.all(Array.from({ length: Math.min(10, CARDS - i) }, (_, j) => fetch(`${base}/api/v1/cases`, {
    method: 'POST', headers: { authorization: `Bearer ${chloe}`, 'content-type': 'application/json' },
    body: JSON.stringify({ summary: `Bench case ${i + j}`, description: 'x', kind: 'question', severity: 3, environment: 'staging' }),
  })));
}

await measure(`board with ${CARDS}+ cards`);
await browser.close();
