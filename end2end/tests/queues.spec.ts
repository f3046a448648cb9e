import { test, expect } from '@playwright/test';
import { apiToken, expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

test('the board saves its filter as a queue, lists it with its count, and opens it', async ({ browser, request }) => {
  const first = await openCaseByApi(request, `Queue ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  // New cases are assigned at once (to whoever is on shift): the queue does not filter by engineer.
  await sam.goto('/board?organization=initech&severity=3&status=new');
  await hydrated(sam);
  await expect(sam.locator(`section.column[data-status="new"] li.card[data-case="${first}"]`)).toBeVisible();
  await expect(sam.locator('section.column[data-status="feedback"] li.card')).toHaveCount(0);
  await expect(sam.getByRole('checkbox', { name: 'New' })).toBeChecked();

  // Save as queue, shared with the team.
  const name = `Initech normal ${Date.now()}`;
  await sam.getByText('Save as queue').click();
  await sam.getByLabel('Queue name').fill(name);
  await sam.getByLabel('Share with the team').check();
  await sam.getByRole('button', { name: 'Save queue' }).click();
  await expect(sam.getByRole('status').filter({ hasText: 'saved' })).toContainText(`Queue “${name}” saved.`);

  // Listed with its count: what the API says, and what the board's New column holds.
  const token = await apiToken(request, 'sam@caseboard.example');
  const views = (await (await request.get('/api/v1/views', { headers: { authorization: `Bearer ${token}` } })).json()).views;
  const view = views.find((v: { name: string }) => v.name === name);
  expect(view.shared).toBe(true);
  expect(view.board_query).toBe(`severity=3&organization=initech&status=new&queue=${view.id}`);
  const link = sam.locator(`nav.queues a[data-queue="${view.id}"]`);
  await expect(link).toContainText(name);
  await expect(link.locator('.count')).toHaveText(`${view.count.n} open cases`);
  await expect(sam.locator('section.column[data-status="new"] h2 .count')).toHaveText(`${view.count.n} cases`);
  await expect(link.locator('xpath=..').locator('.tag')).toHaveText('shared');

  // A duplicate name is refused in words.
  await sam.getByLabel('Queue name').fill(name.toUpperCase());
  await sam.getByRole('button', { name: 'Save queue' }).click();
  await expect(sam.getByRole('alert').filter({ hasText: 'already' })).toHaveText('You already have a queue with this name.');

  // Opened from the unfiltered board: its filter in the URL, marked current, the board filtered.
  await sam.goto('/board');
  await hydrated(sam);
  await sam.locator(`nav.queues a[data-queue="${view.id}"]`).click();
  await expect(sam).toHaveURL(new RegExp(`status=new.*queue=${view.id}`));
  await expect(sam.locator(`nav.queues a[data-queue="${view.id}"]`)).toHaveAttribute('aria-current', 'page');
  await expect(sam.locator(`section.column[data-status="new"] li.card[data-case="${first}"]`)).toBeVisible();
  await expect(sam.locator('section.column[data-status="confirmed"] li.card')).toHaveCount(0);
  await expectAccessible(sam);

  // A new case that the queue keeps: its count follows the live stream within seconds.
  await openCaseByApi(request, `Queue live ${Date.now()}`);
  await expect(sam.locator(`nav.queues a[data-queue="${view.id}"] .count`)).toHaveText(`${view.count.n + 1} open cases`, { timeout: 15_000 });
});
