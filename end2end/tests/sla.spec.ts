import { test, expect } from '@playwright/test';
import { hydrated, nextStep, signIn, wizardTo, PASSWORD } from './helpers';

test('the board countdown ticks in the browser and turns to warning, then breach colours', async ({ browser, request }) => {
  // Acme is on Elastic cloud Premium: an Urgent case gets a first response within 30 minutes, 24x7.
  const token = (await (await request.post('/api/v1/auth/token', { data: { email: 'alice@acme.example', password: PASSWORD } })).json()).token;
  const created = await request.post('/api/v1/cases', {
    headers: { authorization: `Bearer ${token}` },
    data: { summary: `Production down ${Date.now()}`, description: 'Cluster red.', kind: 'bug', severity: 1, environment: 'production',
      details: { impact: 'Every order is lost while the cluster is red.' } },
  });
  const number = (await created.json()).number;

  const context = await browser.newContext();
  const page = await context.newPage();
  // The browser's clock is driven by the test; the server keeps real time.
  await page.clock.install({ time: new Date() });
  await signIn(page, 'sam@caseboard.example');
  await expect(page).toHaveURL(/\/board$/);
  await hydrated(page);

  const sla = page.locator(`li.card[data-case="${number}"] .sla`);
  await expect(sla).toHaveAttribute('data-sla', 'ok');
  await expect(sla).toContainText('First response');
  await expect(sla).toContainText(/2\d:\d\d left/);
  const before = await sla.locator('.sla-time').textContent();
  await page.clock.fastForward(3_000);
  await expect(sla.locator('.sla-time')).not.toHaveText(before!);

  await page.clock.fastForward('25:00');
  await expect(sla).toHaveAttribute('data-sla', 'warning');
  await expect(sla).toContainText(/0\d:\d\d left/);

  await page.clock.fastForward('06:00');
  await expect(sla).toHaveAttribute('data-sla', 'breached');
  await expect(sla).toContainText('overdue');
});

test('a case page explains its clock', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'bruno@globex.example');
  await expect(page).not.toHaveURL(/sign-in/);
  // Globex is on Coveo: severities, a calendar, no time commitment.
  await page.goto('/cases/1002');
  await expect(page.getByTestId('plan-promises')).toContainText('No time commitment for');
  await expect(page.getByTestId('plan-promises')).toContainText('Business hours: Mon–Fri, 06:00–18:00 (America/New_York time).');
  await expect(page.locator('ul.clocks li').first()).toHaveAttribute('data-sla', 'none');
  await expect(page.locator('ul.clocks li').first()).toContainText('No commitment');
});

test('the new-case form offers only the severities of the contract and previews the first response', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await signIn(page, 'alice@acme.example');
  await expect(page).not.toHaveURL(/sign-in/);
  await page.goto('/cases/new');
  await hydrated(page);
  await wizardTo(page, 3);
  const severity = page.getByLabel('Severity', { exact: true });
  await expect(severity.locator('option')).toHaveText(['1 – Urgent', '2 – High', '3 – Normal']);
  await expect(page.getByTestId('severity-definitions')).toContainText('Production is down or severely impaired');
  await severity.selectOption('1');
  await nextStep(page);
  await page.getByLabel('Business impact', { exact: true }).fill('Every order is lost while it is down.');
  await nextStep(page);
  await nextStep(page);
  await expect(page.getByTestId('sla-preview')).toContainText('Elastic cloud Premium · 1 – Urgent');
  await expect(page.getByTestId('sla-preview')).toContainText('First response: 30 min, around the clock, by ');
  // In the reader's own time zone (Shanghai here), not UTC.
  const text = (await page.getByTestId('sla-preview').textContent())!;
  const shanghai = (minutes: number) => new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', timeStyle: 'short' })
    .format(new Date(Date.now() + minutes * 60_000));
  expect([28, 29, 30].map(shanghai).some((t) => text.includes(t)), `${text} in Shanghai time`).toBeTruthy();

  const coveo = await (await browser.newContext()).newPage();
  await signIn(coveo, 'bruno@globex.example');
  await expect(coveo).not.toHaveURL(/sign-in/);
  await coveo.goto('/cases/new');
  await hydrated(coveo);
  await wizardTo(coveo, 3);
  await expect(coveo.getByLabel('Severity', { exact: true }).locator('option').first()).toHaveText('1 – Urgent (Critical)');
  await expect(coveo.getByTestId('severity-definitions')).toContainText('The software is unusable');
  await coveo.getByLabel('Severity', { exact: true }).selectOption('1');
  await nextStep(coveo);
  await coveo.getByLabel('Business impact', { exact: true }).fill('Search is down for every visitor.');
  await nextStep(coveo);
  await nextStep(coveo);
  // Coveo gives no duration: the preview says so in Coveo's words, with its hours and line.
  await expect(coveo.getByTestId('sla-preview')).toContainText('No time commitment for Critical on this plan.');
  await expect(coveo.getByTestId('sla-preview')).toContainText('Business hours: Mon–Fri, 06:00–18:00 (America/New_York time).');
  await expect(coveo.getByTestId('sla-preview').getByRole('link', { name: '+12125550199' })).toHaveAttribute('href', 'tel:+12125550199');
});

test('a customer reply in the portal resumes a paused clock', async ({ browser, request }) => {
  const token = async (email: string) =>
    (await (await request.post('/api/v1/auth/token', { data: { email, password: PASSWORD } })).json()).token;
  const alice = await token('alice@acme.example');
  const created = await request.post('/api/v1/cases', {
    headers: { authorization: `Bearer ${alice}` },
    data: { summary: `Waiting on Alice ${Date.now()}`, description: 'Needs logs.', kind: 'bug', severity: 2, environment: 'production' },
  });
  const number = (await created.json()).number;
  const moved = await request.post(`/api/v1/cases/${number}/status`, {
    headers: { authorization: `Bearer ${await token('sam@caseboard.example')}` },
    data: { status: 'feedback', expected_version: 1 },
  });
  expect(moved.status()).toBe(200);

  const page = await (await browser.newContext({ timezoneId: 'Europe/Paris' })).newPage();
  await signIn(page, 'alice@acme.example');
  await expect(page).not.toHaveURL(/sign-in/);
  await page.goto(`/cases/${number}`);
  await hydrated(page);
  const clock = page.locator('ul.clocks li').first();
  await expect(clock).toHaveAttribute('data-sla', 'paused');
  await expect(clock).toContainText('Paused: waiting on the customer');
  await page.getByLabel('Your reply').fill('Here are the logs you asked for.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('ol.timeline')).toContainText('Here are the logs you asked for.');
  await expect(clock).toHaveAttribute('data-sla', /ok|warning/);
  await expect(clock).toContainText('Running');
  // The due time is in the reader's zone once the page is interactive (the server says UTC).
  await expect(clock.locator(':scope > time')).not.toContainText('(UTC)');
});
