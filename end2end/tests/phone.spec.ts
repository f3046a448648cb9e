import { test, expect, type Browser, type APIRequestContext, type Page, type ViewportSize } from '@playwright/test';
import { apiToken, currentStep, expectAccessible, hydrated, nextStep, openCaseByApi, PASSWORD, signIn } from './helpers';

// Customer pages on a phone (issue #22, item 9): nothing scrolls sideways from 360 px up,
// a case's details stack (term above value, full width, words whole), My cases is a list of
// cards, and the header is one line with a menu. Desktop keeps its table and its header.
//
// Contexts are not `isMobile`: a mobile Chromium zooms out to fit a page that overflows, and
// the overflow would go unseen. Screenshots land in test-results/phone-*.png.

const PHONE: ViewportSize = { width: 390, height: 844 };
const SMALL_PHONE: ViewportSize = { width: 360, height: 740 };
const DESKTOP: ViewportSize = { width: 1440, height: 900 };
const CUSTOMER = 'alice@acme.example';

async function signedIn(browser: Browser, viewport: ViewportSize, email = CUSTOMER, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page).not.toHaveURL(/\/sign-in/);
  return page;
}

/** A case of Alice's with what makes a phone layout hard: long labels, an urgent plan
 *  (promises and a phone line), a stack-trace token, a long URL, and support's answer. */
async function aliceCase(request: APIRequestContext): Promise<number> {
  const token = await apiToken(request, CUSTOMER);
  const created = await request.post('/api/v1/cases', {
    headers: { authorization: `Bearer ${token}` },
    data: {
      summary: `Phone ${Date.now()}: executive dashboards time out behind the corporate proxy`,
      description: 'Since this morning every dashboard stays blank.\nSee https://analytics.acme.example/app/dashboards/view/7f9c2e1a-4b5d-4e8f-9a0b-1c2d3e4f5a6b?from=now-24h',
      kind: 'bug', severity: 1, environment: 'production',
      details: {
        version: '9.0.4',
        error_message: 'org.elasticsearch.transport.ReceiveTimeoutTransportException: [node-7][10.0.3.17:9300][indices:data/read/search[phase/query]] timed out after [30000ms]',
        steps_to_reproduce: 'Open any executive dashboard from the corporate network; wait thirty seconds.',
        os: 'Ubuntu 22.04 LTS',
        browser: 'Safari 18 on an iPhone 15',
        impact: 'Every executive dashboard is blank; forty of our own customers are affected.',
        affected: 'Executives and customer success',
      },
    },
  });
  expect(created.status()).toBe(201);
  const number = (await created.json()).number as number;
  const sam = await apiToken(request, 'sam@caseboard.example');
  const replied = await request.post(`/api/v1/cases/${number}/replies`, {
    headers: { authorization: `Bearer ${sam}` },
    data: { body: 'We are looking at it. Please send the output of https://analytics.acme.example/_cluster/allocation/explain?include_disk_info=true&pretty' },
  });
  expect(replied.status()).toBe(201);
  return number;
}

/** Nothing on the page is wider than the window: no sideways scrolling. A failure names the
 *  elements that stick out. */
async function expectNoSidewaysScroll(page: Page) {
  const found = await page.evaluate(() => {
    const window_ = window.innerWidth;
    const outside = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window_ + 0.5 && e.getClientRects().length > 0)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)} px)`)
      .slice(0, 8);
    return { page: document.documentElement.scrollWidth, window: window_, outside };
  });
  expect(found.page, `page ${found.page} px wide in a ${found.window} px window: ${found.outside.join(', ')}`)
    .toBeLessThanOrEqual(found.window);
}

async function expectCompactHeader(page: Page) {
  const header = (await page.locator('header.top').boundingBox())!;
  expect(header.height, 'the header is one line').toBeLessThanOrEqual(64);
}

/** Every word of `selector`'s text (tokens up to 24 characters) sits on one line. */
async function expectWordsWhole(page: Page, selector: string) {
  const broken = await page.locator(selector).evaluateAll((elements) => {
    const found: string[] = [];
    for (const element of elements) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          if (match[0].length > 24) continue;
          const range = document.createRange();
          range.setStart(node, match.index!);
          range.setEnd(node, match.index! + match[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) found.push(match[0]);
        }
      }
    }
    return found;
  });
  expect(broken, `words broken across lines in ${selector}`).toEqual([]);
}

/** A definition list on a phone: each term above its value, the value at least 200 px wide. */
async function expectStacked(page: Page, list: string) {
  const pairs = await page.locator(`${list} > dt`).evaluateAll((terms) => terms.map((dt) => {
    const dd = dt.nextElementSibling as HTMLElement;
    const t = dt.getBoundingClientRect();
    const d = dd.getBoundingClientRect();
    return { term: dt.textContent, termBottom: t.bottom, valueTop: d.top, valueWidth: d.width };
  }));
  expect(pairs.length, `${list} has terms`).toBeGreaterThan(3);
  for (const pair of pairs) {
    expect(pair.valueWidth, `the value of ${pair.term} is wide`).toBeGreaterThanOrEqual(200);
    expect(pair.valueTop, `the value of ${pair.term} is below it`).toBeGreaterThanOrEqual(pair.termBottom - 1);
  }
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/phone-${name}.png`, fullPage: true });
}

test('a customer\'s case page on a phone: details stacked, words whole, nothing sideways', async ({ browser, request }) => {
  const number = await aliceCase(request);
  const page = await signedIn(browser, PHONE);
  await page.goto(`/cases/${number}`);
  await hydrated(page);
  await expect(page.getByTestId('case-details')).toBeVisible();
  await expect(page.locator('ol.timeline li.reply')).toBeVisible();

  await expectNoSidewaysScroll(page);
  await expectCompactHeader(page);
  await expectStacked(page, 'dl.facts');
  await expectStacked(page, 'dl.case-details');
  await expectWordsWhole(page, 'dl.facts, dl.case-details, .promises, ul.clocks, ol.timeline, .reply-form, h1');
  // The timeline, the reply form, the plan's promises and the clocks fit the window.
  for (const part of ['ol.timeline', '.reply-form', '.promises', 'ul.clocks', '.description']) {
    const box = (await page.locator(part).first().boundingBox())!;
    expect(box.x, `${part} starts inside the window`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${part} ends inside the window`).toBeLessThanOrEqual(PHONE.width);
  }
  await shoot(page, 'case');
  await expectAccessible(page);

  await page.setViewportSize(SMALL_PHONE);
  await expectNoSidewaysScroll(page);
  await expectStacked(page, 'dl.case-details');
});

test('My cases on a phone is a list of cards, each value under its column\'s name', async ({ browser, request }) => {
  await aliceCase(request);
  const page = await signedIn(browser, PHONE);
  await page.goto('/cases');
  await hydrated(page);
  const rows = page.locator('table.cases tbody tr');
  await expect(rows.first()).toBeVisible();

  await expectNoSidewaysScroll(page);
  await expectCompactHeader(page);
  const row = await rows.first().evaluate((tr) => ({
    display: getComputedStyle(tr).display,
    width: tr.getBoundingClientRect().width,
    labels: [...tr.querySelectorAll('td')].map((td) => td.dataset.label),
    shown: [...tr.querySelectorAll('td')].map((td) => getComputedStyle(td, '::before').content),
  }));
  expect(['block', 'grid', 'flex']).toContain(row.display);
  expect(row.width).toBeGreaterThan(PHONE.width - 64);
  expect(row.labels).toEqual(['Number', 'Summary', 'Status', 'Severity', 'Last change']);
  for (const shown of row.shown) expect(shown).toMatch(/^"(Number|Summary|Status|Severity|Last change)"/);
  // The table's header row gives way to the labels, but stays for screen readers.
  await expect(page.getByRole('columnheader', { name: 'Status' })).toHaveCount(1);
  await expectWordsWhole(page, 'table.cases');
  await shoot(page, 'my-cases');
  await expectAccessible(page);

  await page.setViewportSize(SMALL_PHONE);
  await expectNoSidewaysScroll(page);
});

test('the header on a phone is one line with a menu, by touch and by keyboard', async ({ browser }) => {
  const page = await signedIn(browser, PHONE);
  await page.goto('/cases');
  await hydrated(page);
  await expectCompactHeader(page);
  const menu = page.locator('header.top summary');
  await expect(menu).toHaveText('Menu');
  const myCases = page.locator('header.top').getByRole('link', { name: 'My cases' });
  await expect(myCases).toBeHidden();

  await menu.click();
  await expect(myCases).toBeVisible();
  await expect(page.locator('header.top').getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.locator('header.top').getByLabel('Language')).toBeVisible();
  await shoot(page, 'menu');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // Choosing a page closes the menu.
  await page.locator('header.top').getByRole('link', { name: 'Email settings' }).click();
  await expect(page).toHaveURL(/\/settings\/notifications$/);
  await expect(myCases).toBeHidden();
  await expectCompactHeader(page);

  // By keyboard: Enter opens, Escape closes and leaves the focus on the menu button.
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(myCases).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.locator('header.top nav a').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(myCases).toBeHidden();
  await expect(menu).toBeFocused();
});

test('the phone menu works before the app has loaded', async ({ browser }) => {
  const page = await signedIn(browser, PHONE);
  // The app never starts: the server-rendered page alone.
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto('/cases');
  await expect(page.locator('table.cases')).toBeVisible();
  expect(await page.locator('body').getAttribute('data-hydrated')).toBeNull();
  await expectCompactHeader(page);
  const settings = page.locator('header.top').getByRole('link', { name: 'Email settings' });
  await expect(settings).toBeHidden();
  await page.locator('header.top summary').click();
  await expect(settings).toBeVisible();
  await settings.click();
  await expect(page).toHaveURL(/\/settings\/notifications$/);
});

test('the other customer pages fit a phone: the wizard, the settings, sign-in', async ({ browser }) => {
  // Sign-in, before anyone is signed in.
  for (const viewport of [PHONE, SMALL_PHONE]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await hydrated(page);
    await expectNoSidewaysScroll(page);
    await expectCompactHeader(page);
    if (viewport === PHONE) {
      await shoot(page, 'sign-in');
      await expectAccessible(page);
    }
    await context.close();
  }

  const page = await signedIn(browser, PHONE);
  await page.goto('/settings/notifications');
  await hydrated(page);
  await expectNoSidewaysScroll(page);
  await expectCompactHeader(page);
  await shoot(page, 'settings');
  await expectAccessible(page);
  await page.setViewportSize(SMALL_PHONE);
  await expectNoSidewaysScroll(page);

  // Every step of the wizard, at both widths; the review's details stacked.
  await page.setViewportSize(PHONE);
  await page.goto('/cases/new');
  await hydrated(page);
  for (let step = 1; step <= 6; step++) {
    if (step === 2) {
      await page.getByLabel('Summary', { exact: true }).fill('Dashboards time out behind the corporate proxy since this morning');
      await page.getByLabel('Description', { exact: true }).fill('https://analytics.acme.example/app/dashboards/view/7f9c2e1a-4b5d-4e8f-9a0b-1c2d3e4f5a6b?from=now-24h');
    }
    if (step === 5) await page.getByLabel('Phone: a scheduled callback').check();
    await expectNoSidewaysScroll(page);
    await expectCompactHeader(page);
    await shoot(page, `wizard-${step}`);
    await page.setViewportSize(SMALL_PHONE);
    await expectNoSidewaysScroll(page);
    await page.setViewportSize(PHONE);
    if (step === 6) {
      await expectStacked(page, 'form.wizard-step:not([hidden]) .review dl');
      await expectAccessible(page);
    } else {
      if (step === 5) await page.getByLabel('Phone number').fill('+33 1 42 68 53 00');
      await nextStep(page);
    }
  }
  await expect(currentStep(page).getByRole('heading', { level: 2 })).toContainText('6');
});

test('French on a phone: the header stays one line, the cards keep their French names', async ({ browser, request }) => {
  await openCaseByApi(request, `Téléphone ${Date.now()} : les tableaux de bord expirent derrière le proxy`);
  const context = await browser.newContext({ viewport: SMALL_PHONE, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expectCompactHeader(page);
  await expect(page.locator('header.top summary')).toHaveText('Menu');
  await expectNoSidewaysScroll(page);

  // Chloé reads French: her cases as cards, under French column names.
  await page.getByLabel('E-mail').fill('chloe@initech.example');
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await hydrated(page);
  await expect(page.locator('table.cases tbody tr').first()).toBeVisible();
  expect(await page.locator('table.cases tbody tr td').last().getAttribute('data-label')).toBe('Dernière modification');
  await expectCompactHeader(page);
  await expectNoSidewaysScroll(page);
  await expectWordsWhole(page, 'table.cases');
  await shoot(page, 'my-cases-fr');
  await context.close();
});

test('on a desktop the table stays a table and the header keeps its links in view', async ({ browser, request }) => {
  await aliceCase(request);
  const page = await signedIn(browser, DESKTOP);
  await page.goto('/cases');
  await hydrated(page);
  await expect(page.locator('header.top summary')).toBeHidden();
  await expect(page.locator('header.top').getByRole('link', { name: 'My cases' })).toBeVisible();
  await expect(page.locator('header.top').getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.locator('header.top').getByText('Signed in as Alice Martin')).toBeVisible();
  await expectCompactHeader(page);
  const row = page.locator('table.cases tbody tr').first();
  await expect(row).toBeVisible();
  expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe('table-row');
  await expect(page.locator('table.cases thead')).toBeVisible();
  expect(await row.locator('td').first().evaluate((td) => getComputedStyle(td, '::before').content)).toBe('none');
  await expectAccessible(page);
  // The case page keeps its two columns of facts.
  const number = await row.locator('td').first().innerText();
  await page.goto(`/cases/${number.trim()}`);
  await hydrated(page);
  const status = await page.locator('dl.facts > dt').first().evaluate((dt) => {
    const t = dt.getBoundingClientRect();
    const d = (dt.nextElementSibling as HTMLElement).getBoundingClientRect();
    return { termRight: t.right, valueLeft: d.left, sameLine: Math.abs(t.top - d.top) < 4 };
  });
  expect(status.sameLine).toBe(true);
  expect(status.valueLeft).toBeGreaterThan(status.termRight);
  await expectAccessible(page);
  await shoot(page, 'desktop-case');
});
