import { test, expect, type Page } from '@playwright/test';
import { currentStep, expectAccessible, hydrated, newSignedInPage, nextStep, PASSWORD, wizardTo } from './helpers';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function casesOf(page: Page, email: string) {
  const token = (await (await page.request.post('/api/v1/auth/token', { data: { email, password: PASSWORD } })).json()).token;
  // The newest 200 (a page of the list: `{cases, next_cursor}`) hold the cases just opened.
  const page_ = (await (await page.request.get('/api/v1/cases?limit=200', { headers: { authorization: `Bearer ${token}` } })).json()) as
    { cases: { number: number, summary: string, details: Record<string, unknown> }[] };
  return page_.cases;
}

test('the whole wizard, step by step, with an attachment: each step checked, axe-clean, the case keeps everything', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Europe/Paris' });
  const alice = await context.newPage();
  await alice.goto('/sign-in');
  await hydrated(alice);
  await alice.getByLabel('Email').fill('alice@acme.example');
  await alice.getByLabel('Password').fill(PASSWORD);
  await alice.getByRole('button', { name: 'Sign in' }).click();
  await expect(alice).not.toHaveURL(/sign-in/);
  await alice.goto('/cases/new');
  await hydrated(alice);
  const summary = `Dashboard <b>slow</b> ${Date.now()}`;

  // 1. Request and product: an unsupported version is said before anything is filed.
  await expect(alice.getByRole('heading', { name: 'Step 1: Request and product' })).toBeVisible();
  await expect(alice.getByRole('navigation', { name: 'Progress' }).locator('[aria-current="step"]')).toContainText('Request and product');
  await alice.getByLabel('Kind of request').selectOption('bug');
  await alice.getByLabel('Product', { exact: true }).fill('Kibana');
  await alice.getByLabel('Version', { exact: true }).fill('7.17.2');
  await expect(alice.getByTestId('version-warning')).toContainText('Kibana 7.17.2 is no longer supported');
  await expect(alice.getByTestId('version-warning')).toContainText('upgrade to 9.1.3');
  await expectAccessible(alice);
  await alice.getByLabel('Version', { exact: true }).fill('9.0.4');
  await expect(alice.getByTestId('version-warning')).toHaveCount(0);
  await alice.getByLabel('Build', { exact: true }).fill('b9f1c2');
  await nextStep(alice);

  // 2. Situation: a missing summary is refused on the spot, with the focus on it.
  await currentStep(alice).getByRole('button', { name: 'Next' }).click();
  await expect(currentStep(alice).getByRole('alert')).toHaveText('Summary is required.');
  await expect(alice.getByLabel('Summary', { exact: true })).toBeFocused();
  await expect(alice.getByLabel('Summary', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await alice.getByLabel('Summary', { exact: true }).fill(summary);
  await alice.getByLabel('Description', { exact: true }).fill('The executive dashboard takes 40 s to load.');
  await alice.getByLabel('What you observe').fill('A spinner, then a half-drawn chart.');
  await alice.getByLabel('Error message, as shown').fill('<script>alert(1)</script> Request timeout after 30000ms');
  await alice.getByLabel('Steps to reproduce').fill('1. Open the dashboard\n2. Choose the last 90 days');
  await alice.getByLabel('Environment').selectOption('production');
  await alice.getByLabel('Operating system and version').fill('Ubuntu 24.04');
  await alice.getByLabel('32 or 64 bit').selectOption('64_bit');
  await alice.getByLabel('Browser and device').fill('Chrome 131 on a laptop');
  await alice.locator('#draft-files').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
  await expect(alice.getByTestId('draft-files')).toContainText('screen.png');
  // A file whose bytes are not what its name says: refused, named, and nothing else lost.
  await alice.locator('#draft-files').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('4d5a90000300000004000000ffff0000', 'hex') });
  await expect(alice.getByTestId('upload-refused')).toContainText('invoice.pdf');
  await expect(alice.getByTestId('draft-files').locator('li')).toHaveCount(1);
  await expect(alice.getByLabel('Summary', { exact: true })).toHaveValue(summary);
  await expectAccessible(alice);
  await nextStep(alice);

  // 3. Severity: the plan's definitions; Urgent.
  await expect(alice.getByTestId('severity-definitions')).toContainText('no workaround');
  await alice.getByLabel('Severity', { exact: true }).selectOption('1');
  await expectAccessible(alice);
  await nextStep(alice);

  // 4. Business impact: required for Urgent; a deadline needs its date.
  await currentStep(alice).getByRole('button', { name: 'Next' }).click();
  await expect(currentStep(alice).getByRole('alert')).toHaveText('Business impact is required.');
  await alice.getByLabel('Business impact', { exact: true }).fill('Shown to our own customers on Friday.');
  await alice.getByRole('checkbox', { name: 'A deadline', exact: true }).check();
  await alice.getByLabel('Brand and reputation').check();
  await currentStep(alice).getByRole('button', { name: 'Next' }).click();
  await expect(currentStep(alice).getByRole('alert')).toHaveText('Deadline is required.');
  await alice.getByLabel('Deadline', { exact: true }).fill('2037-06-01');
  await alice.getByLabel('Who is affected').fill('Every executive, 40 of our customers');
  await expectAccessible(alice);
  await nextStep(alice);

  // 5. Contact: a callback in the customer's own time zone.
  await alice.getByLabel('Phone: a scheduled callback').check();
  await expect(alice.getByLabel('Time zone')).toHaveValue('Europe/Paris');
  await alice.getByLabel('Friday').uncheck();
  await alice.getByLabel('From', { exact: true }).fill('10:00');
  await alice.getByLabel('Until', { exact: true }).fill('12:30');
  // A callback needs the number to call: asked for, required, checked on the server.
  const phone = alice.getByLabel('Phone number');
  await expect(phone).toHaveAttribute('aria-required', 'true');
  await phone.fill('01 42 68 53 00');
  await expectAccessible(alice);
  await nextStep(alice);

  // 6. Review: everything, as text; the SLA preview; back and forward keep it all.
  const review = currentStep(alice);
  await expect(review.getByTestId('review-summary')).toHaveText(summary);
  await expect(review).toContainText('Request timeout after 30000ms');
  await expect(review).toContainText('<script>alert(1)</script>');
  await expect(review).toContainText('screen.png');
  await expect(review).toContainText('Monday, Tuesday, Wednesday, Thursday, 10:00–12:30 (Europe/Paris)');
  await expect(alice.getByTestId('sla-preview')).toContainText('First response: ');
  await expectAccessible(alice);
  await review.getByRole('button', { name: 'Change: Situation' }).click();
  await expect(alice.getByLabel('Error message, as shown')).toHaveValue('<script>alert(1)</script> Request timeout after 30000ms');
  await alice.getByRole('navigation', { name: 'Progress' }).getByRole('button', { name: '6. Review' }).click();
  await alice.getByLabel('Who can see it').selectOption('private');
  await alice.getByRole('button', { name: 'Open the case' }).click();
  // Without its country code the number is refused, and the wizard goes back to it.
  await expect(alice.getByRole('alert').filter({ hasText: 'Phone number' })).toBeVisible();
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await phone.fill('+33 1 42 68 53 00');
  await alice.getByRole('navigation', { name: 'Progress' }).getByRole('button', { name: '6. Review' }).click();
  await alice.getByRole('button', { name: 'Open the case' }).click();

  // The case page: the number, the details as text, the file.
  await expect(alice).toHaveURL(/\/cases\/\d+\?opened=1$/);
  await expect(alice.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
  const details = alice.getByTestId('case-details');
  await expect(details).toContainText('9.0.4');
  await expect(details).toContainText('<script>alert(1)</script> Request timeout');
  await expect(details).toContainText('Shown to our own customers on Friday.');
  await expect(details).toContainText('+33142685300');
  await expect(alice.locator('ol.timeline a.attachment')).toContainText('screen.png');
  await expect(alice.getByRole('heading', { level: 1 })).toContainText('<b>slow</b>');
  await expectAccessible(alice);
  const mine = (await casesOf(alice, 'alice@acme.example')).find((c) => c.summary === summary)!;
  expect(mine.details['stakes']).toEqual(['brand', 'deadline']);

  // Support sees the number to call on the case page.
  const engineer = await newSignedInPage(browser, 'sam@caseboard.example');
  await engineer.goto(`/cases/${mine.number}`);
  await expect(engineer.getByTestId('case-details')).toContainText('+33142685300');

  // Private: another contact of Acme does not see it (the organization's admin and support do).
  const admin = (await (await alice.request.post('/api/v1/auth/token', { data: { email: 'admin@caseboard.example', password: PASSWORD } })).json()).token;
  const email = `dana.${Date.now()}@acme.example`;
  const created = await alice.request.post('/api/v1/users', { headers: { authorization: `Bearer ${admin}` },
    data: { email, password: PASSWORD, name: 'Dana Reed', role: 'customer', organization: 'acme' } });
  expect(created.status()).toBe(201);
  expect((await casesOf(alice, email)).find((c) => c.summary === summary)).toBeUndefined();
  expect((await casesOf(alice, 'olga@acme.example')).find((c) => c.summary === summary)).toBeDefined();
  const other = await (await browser.newContext()).newPage();
  await other.goto('/sign-in');
  await hydrated(other);
  await other.getByLabel('Email').fill(email);
  await other.getByLabel('Password').fill(PASSWORD);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other).not.toHaveURL(/sign-in/);
  await other.goto(`/cases/${mine.number}`);
  await expect(other.getByText('This case does not exist or is not yours to see.')).toBeVisible();
});

test('the draft survives a reload at any step; a double submit opens one case; keep report starts the next one', async ({ browser }) => {
  const summary = `Draft kept ${Date.now()}`;
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/cases/new');
  await hydrated(alice);
  await alice.getByLabel('Product', { exact: true }).fill('Kibana');
  await alice.getByLabel('Version', { exact: true }).fill('9.1.0');
  await nextStep(alice);
  await alice.getByLabel('Summary', { exact: true }).fill(summary);
  await alice.getByLabel('Description', { exact: true }).fill('Exports fail with HTTP 500 since the upgrade.');
  await alice.getByLabel('Environment').selectOption('staging');
  await alice.locator('#draft-files').setInputFiles({ name: 'export.log', mimeType: 'text/plain', buffer: Buffer.from('ERROR 500\n') });
  await expect(alice.getByTestId('draft-files')).toContainText('export.log');

  await alice.reload();
  await hydrated(alice);
  await expect(alice.getByRole('heading', { name: 'Step 2: Situation' })).toBeVisible();
  await expect(alice.getByLabel('Summary', { exact: true })).toHaveValue(summary);
  await expect(alice.getByLabel('Description', { exact: true })).toHaveValue('Exports fail with HTTP 500 since the upgrade.');
  await expect(alice.getByLabel('Environment')).toHaveValue('staging');
  await expect(alice.getByTestId('draft-files')).toContainText('export.log');
  await currentStep(alice).getByRole('button', { name: 'Back' }).click();
  await expect(alice.getByLabel('Product', { exact: true })).toHaveValue('Kibana');
  await nextStep(alice);
  await nextStep(alice);
  await nextStep(alice);
  await nextStep(alice);
  await nextStep(alice);

  await alice.getByRole('button', { name: 'Open the case' }).dblclick();
  await expect(alice).toHaveURL(/\/cases\/\d+\?opened=1$/);
  expect((await casesOf(alice, 'alice@acme.example')).filter((c) => c.summary === summary)).toHaveLength(1);
  await expect(alice.locator('ol.timeline a.attachment')).toHaveCount(1);

  // Reload after submit: the draft is gone, nothing is filed again.
  await alice.goto('/cases/new');
  await hydrated(alice);
  await expect(alice.getByRole('heading', { name: 'Step 1: Request and product' })).toBeVisible();
  await alice.goBack();

  await alice.getByRole('link', { name: 'Open another case with the same product and environment' }).click();
  await hydrated(alice);
  await expect(alice.getByLabel('Product', { exact: true })).toHaveValue('Kibana');
  await expect(alice.getByLabel('Version', { exact: true })).toHaveValue('9.1.0');
  await nextStep(alice);
  await expect(alice.getByLabel('Environment')).toHaveValue('staging');
  await expect(alice.getByLabel('Summary', { exact: true })).toHaveValue('');
});

/** Presses Tab until the focused element matches `selector` (keyboard only, no clicks). */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 80; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('the wizard can be completed with the keyboard alone', async ({ browser }) => {
  const summary = `Keyboard only ${Date.now()}`;
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto('/cases/new');
  await hydrated(chloe);
  await tabTo(chloe, '#product');
  await chloe.keyboard.type('Cloud Avenue');
  await chloe.keyboard.press('Enter');
  await expect(chloe.getByRole('heading', { name: 'Step 2: Situation' })).toBeFocused();
  await tabTo(chloe, '#summary');
  await chloe.keyboard.type(summary);
  await chloe.keyboard.press('Tab');
  await chloe.keyboard.type('A virtual machine does not start after the maintenance window.');
  await tabTo(chloe, 'form.wizard-step:not([hidden]) button[type="submit"]');
  await chloe.keyboard.press('Enter');
  await expect(chloe.getByRole('heading', { name: 'Step 3: Severity' })).toBeFocused();
  await tabTo(chloe, '#severity');
  await chloe.keyboard.press('ArrowUp');
  await expect(chloe.getByLabel('Severity', { exact: true })).toHaveValue('2');
  for (const next of ['Step 4: Business impact', 'Step 5: Contact', 'Step 6: Review']) {
    await tabTo(chloe, 'form.wizard-step:not([hidden]) button[type="submit"]');
    await chloe.keyboard.press('Enter');
    await expect(chloe.getByRole('heading', { name: next })).toBeFocused();
  }
  await tabTo(chloe, 'form.wizard-step:not([hidden]) button[type="submit"]');
  await chloe.keyboard.press('Enter');
  await expect(chloe).toHaveURL(/\/cases\/\d+\?opened=1$/);
  await expect(chloe.getByRole('heading', { level: 1 })).toContainText(summary);
});

test('three questions suggest a severity the contract allows', async ({ browser }) => {
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/cases/new');
  await hydrated(alice);
  await wizardTo(alice, 3);
  await expect(alice.getByTestId('severity-suggestion')).toContainText('3 – Normal');
  await alice.getByLabel('Production is down or severely impaired').check();
  await expect(alice.getByTestId('severity-suggestion')).toContainText('1 – Urgent');
  await alice.getByLabel('There is a workaround').check();
  await expect(alice.getByTestId('severity-suggestion')).toContainText('2 – High');
  await alice.getByRole('button', { name: 'Use it' }).click();
  await expect(alice.getByLabel('Severity', { exact: true })).toHaveValue('2');
  await expectAccessible(alice);
});
