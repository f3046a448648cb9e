import { test, expect } from '@playwright/test';
import { apiToken, currentStep, hydrated, newSignedInPage, nextStep, openCaseByApi, wizardTo } from './helpers';

// Issue #22: the words customers and engineers read (item 12) and the plan's promises
// stated whole, in the plan's own vocabulary, with its hours (item 6).

test('a customer reads "Waiting on you", no "Open" resolution, and who took the case', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Words ${Date.now()}`);
  const sam = await apiToken(request, 'sam@caseboard.example');
  const auth = { authorization: `Bearer ${sam}` };
  // Given to Mei first (whoever the automatic rule chose), then Sam takes it himself.
  const given = await request.post(`/api/v1/cases/${number}/assign`, { headers: auth, data: { engineer: 'mei@caseboard.example' } });
  expect(given.status()).toBe(200);
  const taken = await request.post(`/api/v1/cases/${number}/assign`, { headers: auth,
    data: { engineer: 'me', expected_version: (await given.json()).version } });
  expect(taken.status()).toBe(200);
  const moved = await request.post(`/api/v1/cases/${number}/status`, {
    headers: auth, data: { status: 'feedback', expected_version: (await taken.json()).version },
  });
  expect(moved.status()).toBe(200);

  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);
  await expect(chloe.getByTestId('case-status')).toHaveText('Waiting on you');
  await expect(chloe.locator('dl.facts')).not.toContainText('Resolution');
  const timeline = chloe.locator('ol.timeline');
  await expect(timeline).toContainText('to Waiting on you.');
  await expect(timeline).not.toContainText('(Open)');
  // The severity in Cloud Avenue's words; no commitment, so no "why".
  await expect(chloe.getByTestId('case-severity')).toHaveText('P3');
  await expect(chloe.locator('ul.clocks details')).toHaveCount(0);

  // My cases names the severity in the plan's words too.
  await chloe.goto('/cases?show=waiting');
  await hydrated(chloe);
  await expect(chloe.locator('table.cases tr', { hasText: `${number}` }).locator('td[data-label="Severity"]')).toHaveText('P3');

  // Support keeps its own word for the status.
  const engineer = await newSignedInPage(browser, 'sam@caseboard.example');
  await engineer.goto(`/cases/${number}`);
  await hydrated(engineer);
  await expect(engineer.getByTestId('case-status')).toHaveText('Feedback');
  const log = engineer.locator('ol.timeline');
  await expect(log).toContainText('Sam Okafor took the case.');
  await expect(log).not.toContainText('assigned the case to Sam Okafor');
  await expect(log).toContainText('from New to Feedback.');
});

test('"Why this due time?" says what the line above it does not', async ({ browser, request }) => {
  const alice = await apiToken(request, 'alice@acme.example');
  const created = await request.post('/api/v1/cases', {
    headers: { authorization: `Bearer ${alice}` },
    data: { summary: `Why ${Date.now()}`, description: 'Slow.', kind: 'bug', severity: 3, environment: 'production' },
  });
  expect(created.status()).toBe(201);
  const page = await newSignedInPage(browser, 'alice@acme.example');
  await page.goto(`/cases/${(await created.json()).number}`);
  await hydrated(page);
  await expect(page.getByTestId('plan-promises')).toContainText('First response: 1 business day');
  const why = page.locator('ul.clocks details').first();
  await why.locator('summary').click();
  const explanation = why.locator('.explanation');
  await expect(explanation).toContainText('Counted from');
  await expect(explanation).toContainText('in business hours only. Business hours: Mon–Fri, 09:00–18:00');
  await expect(explanation).not.toContainText('Elastic cloud Premium');
  await expect(explanation).not.toContainText('1 business day');
});

test('Cloud Avenue Gold states its P1 restore time the same in the wizard and on the case page', async ({ browser }) => {
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto('/cases/new');
  await hydrated(chloe);
  const summary = `Promises ${Date.now()}`;
  await wizardTo(chloe, 3, summary);
  await chloe.getByLabel('Severity', { exact: true }).selectOption('1');
  await nextStep(chloe);
  await chloe.getByLabel('Business impact', { exact: true }).fill('The shop is down.');
  await nextStep(chloe);
  await nextStep(chloe);
  const preview = chloe.getByTestId('sla-preview');
  await expect(preview).toContainText('Cloud Avenue Gold · P1');
  await expect(preview).toContainText('Restore: 4 h, around the clock, by ');
  await expect(preview).not.toContainText('No time commitment');
  await expect(currentStep(chloe)).toContainText('P1');
  await currentStep(chloe).getByRole('button', { name: /Open the case|Submit/ }).click();
  await expect(chloe).toHaveURL(/\/cases\/\d+/);
  await hydrated(chloe);
  const promises = chloe.getByTestId('plan-promises');
  await expect(promises).toContainText('Cloud Avenue Gold · P1');
  await expect(promises).toContainText('Restore: 4 h, around the clock');
  await expect(chloe.getByTestId('case-severity')).toHaveText('P1');
});

test('Coveo states its business hours and its phone line for a Critical case', async ({ browser }) => {
  const bruno = await newSignedInPage(browser, 'bruno@globex.example');
  await bruno.goto('/cases/new');
  await hydrated(bruno);
  await wizardTo(bruno, 3);
  const definitions = bruno.getByTestId('severity-definitions');
  await expect(definitions.locator('dt').first()).toHaveText('Critical');
  await expect(definitions.getByRole('link', { name: '+12125550199' })).toBeVisible();
});
