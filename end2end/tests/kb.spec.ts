import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, nextStep, PASSWORD } from './helpers';

test('a customer searches the knowledge base as they type and reads a sanitized article', async ({ browser, request }) => {
  const sam = (await (await request.post('/api/v1/auth/token', { data: { email: 'sam@caseboard.example', password: PASSWORD } })).json()).token;
  const title = `Réindexer après une mise à jour ${Date.now()}`;
  const written = await request.post('/api/v1/kb/articles', {
    headers: { authorization: `Bearer ${sam}` },
    data: { title, body: 'Run **reindex**.\n\n<script>window.pwned = true</script>', product: 'Kibana', language: 'fr' },
  });
  expect(written.status()).toBe(201);

  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.getByRole('link', { name: 'Knowledge base' }).click();
  await hydrated(alice);
  await alice.getByLabel('Search articles and solved cases').fill('reindexer apres');
  const hit = alice.getByTestId('kb-hits').getByRole('link', { name: title });
  await expect(hit).toBeVisible();
  await expectAccessible(alice);
  await hit.click();
  await expect(alice.getByRole('heading', { name: title })).toBeVisible();
  await expect(alice.locator('.kb-body strong')).toHaveText('reindex');
  expect(await alice.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
  await expect(alice.locator('.kb-body script')).toHaveCount(0);
});

test('a suggestion on the new-case form solves the problem: no case is opened, the deflection is counted', async ({ browser, request }) => {
  const sam = (await (await request.post('/api/v1/auth/token', { data: { email: 'sam@caseboard.example', password: PASSWORD } })).json()).token;
  const title = `Rotate the ingest API key ${Date.now()}`;
  expect((await request.post('/api/v1/kb/articles', { headers: { authorization: `Bearer ${sam}` }, data: { title, body: 'Settings, then Keys, then Rotate.' } })).status()).toBe(201);
  const before = (await (await request.get('/api/v1/kb/deflections', { headers: { authorization: `Bearer ${sam}` } })).json()).by_articles;

  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/cases/new');
  await hydrated(alice);
  await nextStep(alice);
  await alice.getByLabel('Summary', { exact: true }).fill('How to rotate the ingest key');
  const suggestions = alice.getByTestId('suggestions');
  await expect(suggestions.getByRole('link', { name: title })).toBeVisible();
  await expectAccessible(alice);
  await suggestions.locator('li', { hasText: title }).getByRole('button', { name: 'This solved my problem' }).click();
  await expect(alice.getByTestId('deflected')).toContainText('No case was opened.');
  await expect(alice.locator('.wizard')).toBeHidden();
  const after = (await (await request.get('/api/v1/kb/deflections', { headers: { authorization: `Bearer ${sam}` } })).json()).by_articles;
  expect(after).toBe(before + 1);
});
