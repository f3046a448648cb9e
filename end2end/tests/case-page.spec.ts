import { test, expect } from '@playwright/test';
import { apiToken, hydrated, newSignedInPage, openCaseByApi } from './helpers';

test('a case page is live: support\'s reply appears on the customer\'s page without reload', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Live page ${Date.now()}`);
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);
  await sam.goto(`/cases/${number}`);
  await hydrated(sam);

  await sam.getByLabel('Your reply').fill('We reproduced it on 8.15.');
  await sam.getByRole('button', { name: 'Send' }).click();
  await expect(chloe.locator('ol.timeline')).toContainText('We reproduced it on 8.15.');
  await expect(chloe.locator('.live-notice')).toContainText('updated just now');

  // Leaving a live case page by a link works (client-side navigation).
  await chloe.getByRole('link', { name: 'My cases' }).click();
  await expect(chloe).toHaveURL(/\/cases$/);
  await expect(chloe.getByRole('heading', { name: 'My cases' })).toBeVisible();
});

test('presence and the collision check on a public reply', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Collision ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  const mei = await newSignedInPage(browser, 'mei@caseboard.example');
  await sam.goto(`/cases/${number}`);
  await hydrated(sam);
  await mei.goto(`/cases/${number}`);
  await hydrated(mei);

  // Sam begins a public reply: Mei's page says so.
  await sam.getByLabel('Your reply').fill('Please send us the logs.');
  await expect(mei.getByTestId('presence')).toContainText('Sam Okafor is writing a public reply');
  await expect(sam.getByTestId('presence')).toContainText('Mei Lin is viewing');

  // Meanwhile Mei moves the case; Sam's draft survives the live update.
  await mei.getByLabel('Move to').selectOption('feedback');
  await mei.getByRole('button', { name: 'Move' }).click();
  await expect(sam.getByTestId('case-status')).toHaveText('Feedback');
  await expect(sam.getByLabel('Your reply')).toHaveValue('Please send us the logs.');

  // Sending is held back: Sam sees what changed, confirms, and it goes.
  await sam.getByRole('button', { name: 'Send' }).click();
  const collision = sam.getByTestId('collision');
  await expect(collision).toContainText('The case changed since you began this reply');
  await expect(collision).toContainText('Mei Lin moved the case');
  await collision.getByLabel('Send my reply anyway').check();
  await sam.getByRole('button', { name: 'Send' }).click();
  await expect(sam.locator('ol.timeline li.reply')).toContainText('Please send us the logs.');
  await expect(mei.locator('ol.timeline li.reply')).toContainText('Please send us the logs.');
});

test('my cases sorts cases onto shelves and follows support\'s moves without reload', async ({ browser, request }) => {
  const summary = `Shelf ${Date.now()}`;
  const number = await openCaseByApi(request, summary);
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto('/cases');
  await hydrated(chloe);
  await expect(chloe.locator('.live-status')).toHaveAttribute('data-live', 'live');
  await expect(chloe.getByRole('row').filter({ hasText: summary })).toBeVisible();

  // Support asks for information: the case moves to "Waiting on me", live.
  const sam = await apiToken(request, 'sam@caseboard.example');
  const current = await (await request.get(`/api/v1/cases/${number}`, { headers: { authorization: `Bearer ${sam}` } })).json();
  const moved = await request.post(`/api/v1/cases/${number}/status`, {
    headers: { authorization: `Bearer ${sam}` }, data: { status: 'feedback', expected_version: current.version },
  });
  expect(moved.status()).toBe(200);
  await expect(chloe.getByRole('row').filter({ hasText: summary })).toHaveCount(0);
  await chloe.getByRole('link', { name: /Waiting on me/ }).click();
  const row = chloe.getByRole('row').filter({ hasText: summary });
  await expect(row).toContainText('Your move');
  await expect(chloe.getByRole('link', { name: /Waiting on me/ })).toHaveAttribute('aria-current', 'page');
});

test('a customer\'s answer ends "waiting on you": the case returns to where it was, live on the board', async ({ browser, request }) => {
  const summary = `Answer ${Date.now()}`;
  const number = await openCaseByApi(request, summary);
  const sam = await apiToken(request, 'sam@caseboard.example');
  const auth = { authorization: `Bearer ${sam}` };
  for (const [status, version] of [['confirmed', 1], ['feedback', 2]] as const) {
    const moved = await request.post(`/api/v1/cases/${number}/status`, { headers: auth, data: { status, expected_version: version } });
    expect(moved.status()).toBe(200);
  }
  const board = await newSignedInPage(browser, 'sam@caseboard.example');
  await board.goto('/board');
  await hydrated(board);
  await expect(board.locator('.live-status')).toHaveAttribute('data-live', 'live');
  await expect(board.locator(`section.column[data-status="feedback"] li.card[data-case="${number}"]`)).toBeVisible();

  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);
  await chloe.getByLabel('Your reply').fill('The version is 9.1.3.');
  await chloe.getByRole('button', { name: 'Send' }).click();
  await expect(chloe.getByTestId('case-status')).toHaveText('Confirmed');
  // Support sees it back in Confirmed without reloading; it is no longer on the customer.
  await expect(board.locator(`section.column[data-status="confirmed"] li.card[data-case="${number}"]`)).toBeVisible();
  await expect(board.locator(`section.column[data-status="feedback"] li.card[data-case="${number}"]`)).toHaveCount(0);
  await chloe.goto('/cases');
  await hydrated(chloe);
  await chloe.getByRole('link', { name: /Waiting on me/ }).click();
  await expect(chloe.getByRole('row').filter({ hasText: summary })).toHaveCount(0);
});
