import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, PASSWORD } from './helpers';

test('the new-case draft survives a reload; a double submit opens one case; keep report starts the next one', async ({ browser, request }) => {
  const summary = `Draft kept ${Date.now()}`;
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/cases/new');
  await hydrated(alice);
  await alice.getByLabel('Summary', { exact: true }).fill(summary);
  await alice.getByLabel('Description', { exact: true }).fill('Exports fail with HTTP 500 since the upgrade.');
  await alice.getByLabel('Product', { exact: true }).fill('Kibana');
  await alice.getByLabel('Environment').selectOption('staging');

  await alice.reload();
  await hydrated(alice);
  await expect(alice.getByLabel('Summary', { exact: true })).toHaveValue(summary);
  await expect(alice.getByLabel('Description', { exact: true })).toHaveValue('Exports fail with HTTP 500 since the upgrade.');
  await expect(alice.getByLabel('Product', { exact: true })).toHaveValue('Kibana');
  await expect(alice.getByLabel('Environment')).toHaveValue('staging');
  await expectAccessible(alice);

  await alice.getByRole('button', { name: 'Open the case' }).dblclick();
  await expect(alice).toHaveURL(/\/cases\/\d+\?opened=1$/);
  const token = (await (await request.post('/api/v1/auth/token', { data: { email: 'alice@acme.example', password: PASSWORD } })).json()).token;
  const cases = await (await request.get('/api/v1/cases', { headers: { authorization: `Bearer ${token}` } })).json();
  expect(cases.filter((c: { summary: string }) => c.summary === summary)).toHaveLength(1);

  await alice.getByRole('link', { name: 'Open another case with the same product and environment' }).click();
  await hydrated(alice);
  await expect(alice.getByLabel('Product', { exact: true })).toHaveValue('Kibana');
  await expect(alice.getByLabel('Environment')).toHaveValue('staging');
  await expect(alice.getByLabel('Summary', { exact: true })).toHaveValue('');
});

test('three questions suggest a severity the contract allows', async ({ browser }) => {
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/cases/new');
  await hydrated(alice);
  await expect(alice.getByTestId('severity-suggestion')).toContainText('3 – Normal');
  await alice.getByLabel('Production is down or severely impaired').check();
  await expect(alice.getByTestId('severity-suggestion')).toContainText('1 – Urgent');
  await alice.getByLabel('There is a workaround').check();
  await expect(alice.getByTestId('severity-suggestion')).toContainText('2 – High');
  await alice.getByRole('button', { name: 'Use it' }).click();
  await expect(alice.getByLabel('Severity', { exact: true })).toHaveValue('2');
  await expectAccessible(alice);
});
