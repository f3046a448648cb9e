import { test, expect } from '@playwright/test';
import { apiToken, dragCard, hydrated, newSignedInPage, openCaseByApi } from './helpers';

test('an engineer resolves a case with a resolution and the customer confirms it', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Resolve me ${Date.now()}`);
  const engineer = await newSignedInPage(browser, 'mei@caseboard.example');
  await hydrated(engineer);
  const card = engineer.locator(`li.card[data-case="${number}"]`);
  await expect(card.getByLabel('Resolution')).toBeHidden();
  await card.getByLabel('Move to').selectOption('resolved');
  await expect(card.getByLabel('Resolution')).toBeVisible();
  await card.getByLabel('Resolution').selectOption('not_a_bug');
  await card.getByRole('button', { name: 'Move' }).click();
  await expect(engineer.locator(`section.column[data-status="resolved"] li.card[data-case="${number}"]`)).toBeVisible();

  const customer = await newSignedInPage(browser, 'chloe@initech.example');
  await customer.goto(`/cases/${number}`);
  await hydrated(customer);
  await expect(customer.getByTestId('case-status')).toHaveText('Resolved');
  await expect(customer.locator('dl.facts')).toContainText('Not a bug');
  // Two plain actions, no status menu.
  await expect(customer.getByLabel('Move to')).toHaveCount(0);
  await customer.getByRole('button', { name: "Yes, it's solved" }).click();
  await expect(customer.getByTestId('case-status')).toHaveText('Closed');
});

test('"It\'s still a problem" reopens a resolved case with the reason as the customer\'s reply, never silently', async ({ browser, request }) => {
  const summary = `Still broken ${Date.now()}`;
  const number = await openCaseByApi(request, summary);
  const sam = await apiToken(request, 'sam@caseboard.example');
  const resolved = await request.post(`/api/v1/cases/${number}/status`, {
    headers: { authorization: `Bearer ${sam}` }, data: { status: 'resolved', resolution: 'fixed', expected_version: 1 },
  });
  expect(resolved.status()).toBe(200);

  const customer = await newSignedInPage(browser, 'chloe@initech.example');
  await customer.goto(`/cases/${number}`);
  await hydrated(customer);
  const verdict = customer.getByTestId('verdict');
  await expect(verdict).toContainText('Is the problem solved?');
  await verdict.getByText("It's still a problem").click();
  const reason = customer.getByLabel(/What is still wrong/);
  await expect(reason).toHaveAttribute('aria-required', 'true');
  // The reason is required: the browser keeps the form, and the case stays resolved.
  await customer.getByRole('button', { name: 'Reopen the case' }).click();
  await expect(customer.getByTestId('case-status')).toHaveText('Resolved');
  await reason.fill('The export still fails for files over 2 GB.');
  await customer.getByRole('button', { name: 'Reopen the case' }).click();
  await expect(customer.getByTestId('case-status')).toHaveText('Confirmed');
  await expect(customer.locator('dl.facts')).toContainText('Reopened');
  await expect(customer.locator('ol.timeline')).toContainText('The export still fails for files over 2 GB.');
});

test('a move made on a stale board is refused with a conflict and changes nothing', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Contested ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  const mei = await newSignedInPage(browser, 'mei@caseboard.example');
  // Mei's live stream is cut (a flaky network): her board goes stale.
  await mei.route('**/api/v1/events*', (route) => route.abort());
  await mei.reload();
  await hydrated(sam);
  await hydrated(mei);
  await expect(mei.locator('.live-status')).toHaveAttribute('data-live', 'offline');

  const samCard = sam.locator(`li.card[data-case="${number}"]`);
  await samCard.getByLabel('Move to').selectOption('confirmed');
  await samCard.getByRole('button', { name: 'Move' }).click();
  await expect(sam.locator(`section.column[data-status="confirmed"] li.card[data-case="${number}"]`)).toBeVisible();

  // Mei's board still shows the card in New, at the old version.
  const meiCard = mei.locator(`section.column[data-status="new"] li.card[data-case="${number}"]`);
  await meiCard.getByLabel('Move to').selectOption('feedback');
  await meiCard.getByRole('button', { name: 'Move' }).click();
  await expect(mei.getByRole('alert')).toContainText('Sam Okafor changed this case a moment ago');
  // The reloaded board shows Sam's move, not Mei's.
  await expect(mei.locator(`section.column[data-status="confirmed"] li.card[data-case="${number}"]`)).toBeVisible();
  await expect(mei.locator(`section.column[data-status="feedback"] li.card[data-case="${number}"]`)).toHaveCount(0);
});

test('replies reach both sides; an internal note stays with support', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Talk to me ${Date.now()}`);
  const engineer = await newSignedInPage(browser, 'sam@caseboard.example');
  await engineer.goto(`/cases/${number}`);
  await hydrated(engineer);
  await engineer.getByLabel('Your reply').fill('Secret: the customer is on an old build.');
  await engineer.getByLabel('Internal note: only support sees it').check();
  await engineer.getByRole('button', { name: 'Add internal note' }).click();
  await expect(engineer.locator('ol.timeline li.internal-note')).toContainText('Secret: the customer is on an old build.');
  await engineer.getByLabel('Your reply').fill('Could you send us the logs?');
  await engineer.getByRole('button', { name: 'Send' }).click();
  await expect(engineer.locator('ol.timeline li.reply')).toContainText('Could you send us the logs?');

  const customer = await newSignedInPage(browser, 'chloe@initech.example');
  await customer.goto(`/cases/${number}`);
  await hydrated(customer);
  await expect(customer.locator('ol.timeline')).toContainText('Could you send us the logs?');
  await expect(customer.locator('ol.timeline')).not.toContainText('Secret');
  // Not offered to customers (and refused by the server if forced).
  await expect(customer.getByLabel('Internal note: only support sees it')).toBeHidden();
  await customer.getByLabel('Your reply').fill('Logs are attached to our ticket system.');
  await customer.getByRole('button', { name: 'Send' }).click();
  await expect(customer.locator('ol.timeline li.reply').last()).toContainText('Logs are attached');
});

test('a move on one engineer\'s board appears on another\'s without reload', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Live move ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  const mei = await newSignedInPage(browser, 'mei@caseboard.example');
  await hydrated(sam);
  await hydrated(mei);
  await expect(mei.locator('.live-status')).toHaveAttribute('data-live', 'live');
  await expect(mei.locator(`section.column[data-status="new"] li.card[data-case="${number}"]`)).toBeVisible();

  const samCard = sam.locator(`li.card[data-case="${number}"]`);
  await samCard.getByLabel('Move to').selectOption('assigned');
  await samCard.getByRole('button', { name: 'Move' }).click();

  // No reload on Mei's side: the live stream brings the move.
  await expect(mei.locator(`section.column[data-status="assigned"] li.card[data-case="${number}"]`)).toBeVisible();
  await expect(mei.locator(`section.column[data-status="new"] li.card[data-case="${number}"]`)).toHaveCount(0);
});

test('an engineer drags a card to another column', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Drag me ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await hydrated(sam);
  const card = sam.locator(`section.column[data-status="new"] li.card[data-case="${number}"]`);
  await expect(card).toBeVisible();
  await dragCard(sam, number, 'new', 'confirmed');
  await expect(sam.locator(`section.column[data-status="confirmed"] li.card[data-case="${number}"]`)).toBeVisible();
  await expect(sam.getByRole('status').filter({ hasText: 'moved' })).toContainText(`Case ${number} moved to Confirmed`);
});

test('board filters live in the URL', async ({ browser }) => {
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await sam.goto('/board?organization=globex');
  await hydrated(sam);
  // Demo data: case 1001 is Acme's, 1002 Globex's.
  await expect(sam.locator('li.card[data-case="1002"]')).toBeVisible();
  await expect(sam.locator('li.card[data-case="1001"]')).toHaveCount(0);
  await sam.getByLabel('Organization').selectOption('acme');
  await sam.getByRole('button', { name: 'Filter' }).click();
  await expect(sam).toHaveURL(/organization=acme/);
  await expect(sam.locator('li.card[data-case="1001"]')).toBeVisible();
  await expect(sam.locator('li.card[data-case="1002"]')).toHaveCount(0);
});
