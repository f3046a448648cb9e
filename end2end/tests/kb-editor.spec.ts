import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage } from './helpers';

test('support writes a draft in the browser, publishes it, customers find it, then it is withdrawn', async ({ browser }) => {
  // Letters only: one word the search index keeps whole.
  const word = `quillback${Date.now().toString(36).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)])}`;
  const title = `Restore a stalled snapshot ${word}`;
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await sam.goto('/admin/kb/new');
  await hydrated(sam);
  await expectAccessible(sam);
  // The server names the field it refuses.
  await sam.getByLabel('Title').fill(' ');
  await sam.getByLabel('Article (Markdown)').fill('Body');
  await sam.getByRole('button', { name: 'Save' }).click();
  await expect(sam.locator('#article-title-error')).not.toBeEmpty();

  await sam.getByLabel('Title').fill(title);
  await sam.getByLabel('Product').fill('Kibana');
  await sam.getByLabel('Article (Markdown)').fill(`Release the **${word}** lock.\n\n<script>window.pwned = true</script>`);
  await sam.getByRole('button', { name: 'Save' }).click();
  await expect(sam).toHaveURL(/\/admin\/kb\/\d+\/edit$/);
  await expect(sam.getByText('Draft', { exact: true })).toBeVisible();

  // A draft: the customer does not find it.
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/kb');
  await hydrated(alice);
  await alice.getByLabel('Search articles and solved cases').fill(word);
  await expect(alice.getByText('Nothing found')).toBeVisible();

  // Published from the list.
  await sam.goto('/admin/kb');
  await hydrated(sam);
  await sam.getByRole('button', { name: `Publish “${title}”` }).click();
  await expect(sam.getByTestId('kb-admin-status')).toContainText('is published');
  await expectAccessible(sam);

  await alice.goto('/kb');
  await hydrated(alice);
  await alice.getByLabel('Search articles and solved cases').fill(word);
  const hit = alice.getByTestId('kb-hits').getByRole('link', { name: title });
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(alice.locator('.kb-body strong')).toHaveText(word);
  expect(await alice.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();

  // Withdrawn again: the article is gone for the customer.
  await sam.getByRole('button', { name: `Unpublish “${title}”` }).click();
  await expect(sam.getByTestId('kb-admin-status')).toContainText('is a draft again');
  await alice.reload();
  await expect(alice.getByRole('heading', { name: title })).toHaveCount(0);
});
