import { test, expect } from '@playwright/test';
import { apiToken, expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

test('an engineer searches cases from the board, filters, pages on, and opens one by the keyboard', async ({ browser, request }) => {
  // A word no demo case has, in four cases; an internal note on one of them.
  const word = `quenmark${Date.now() % 100000}`;
  const numbers: number[] = [];
  for (let i = 0; i < 4; i++) numbers.push(await openCaseByApi(request, `Export ${word} fails, try ${i}`));
  const sam = await apiToken(request, 'sam@caseboard.example');
  const noted = await request.post(`/api/v1/cases/${numbers[0]}/replies`, {
    headers: { authorization: `Bearer ${sam}` },
    data: { body: `Internal: ${word}-zeta cluster is ours.`, internal: true },
  });
  expect(noted.status()).toBe(201);

  const page = await newSignedInPage(browser, 'sam@caseboard.example');
  await page.goto('/board');
  await hydrated(page);
  // The box on the board, by the keyboard: type, Enter.
  const box = page.getByRole('searchbox', { name: 'Search cases' });
  await box.focus();
  await page.keyboard.type(word);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}`));
  await hydrated(page);
  const results = page.getByTestId('search-results');
  await expect(results.locator('tbody tr')).toHaveCount(4);
  await expect(results).toContainText('Summary');
  await expectAccessible(page);

  // Two a page: "More results" brings the rest, each once.
  await page.goto(`/search?q=${word}&limit=2`);
  await hydrated(page);
  await expect(results.locator('tbody tr')).toHaveCount(2);
  const more = page.getByRole('button', { name: 'More results' });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(results.locator('tbody tr')).toHaveCount(4);
  await expect(more).toBeHidden();
  const shown = await results.locator('tbody tr td:first-child').allInnerTexts();
  expect(new Set(shown).size).toBe(4);
  expect(shown.map(Number).sort()).toEqual([...numbers].sort());
  // A filter chosen from its select narrows them.
  await page.getByLabel('Severity').selectOption('2');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/severity=2/);
  await expect(page.getByRole('status')).toContainText('No case matches this search.');

  // Where it matched: an internal note, shown to support.
  await page.goto(`/search?q=${word}-zeta`);
  await hydrated(page);
  const row = results.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Internal note');
  await expect(row).toContainText('cluster is ours');
  await row.getByRole('link', { name: String(numbers[0]) }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/cases/${numbers[0]}$`));
});
