import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage } from './helpers';

test('support opens a case for a contact who phoned, then a maintenance task the organization sees without SLA', async ({ browser }) => {
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await sam.getByRole('link', { name: 'Open a case for a customer' }).first().click();
  await hydrated(sam);
  await expect(sam.getByRole('heading', { name: 'Open a case for a customer' })).toBeVisible();
  await expectAccessible(sam);

  // No contact and not a maintenance task: the server names the contact field.
  await sam.getByLabel('Organization').fill('acme');
  await expect(sam.getByLabel('Contact').locator('option', { hasText: 'alice@acme.example' })).toHaveCount(1);
  const summary = `Phoned in: dashboards time out ${Date.now()}`;
  await sam.getByLabel('Summary').fill(summary);
  await sam.getByLabel('Description').fill('Called at 10:05, every dashboard times out.');
  await sam.getByRole('button', { name: 'Open the case' }).click();
  await expect(sam.locator('#intake-reporter-error')).not.toBeEmpty();

  await sam.getByLabel('Contact').selectOption({ label: 'Alice Martin <alice@acme.example>' }).catch(async () => {
    const value = await sam.getByLabel('Contact').locator('option', { hasText: 'alice@acme.example' }).getAttribute('value');
    await sam.getByLabel('Contact').selectOption(value!);
  });
  await sam.getByRole('button', { name: 'Open the case' }).click();
  await expect(sam).toHaveURL(/\/cases\/\d+$/);
  await expect(sam.getByRole('heading', { name: summary })).toBeVisible();
  await expect(sam.getByText(/opened the case on the customer’s behalf/)).toBeVisible();

  // A maintenance task: no contact, kind maintenance.
  await sam.goto('/support/new-case');
  await hydrated(sam);
  await sam.getByLabel('Organization').fill('acme');
  await expect(sam.getByLabel('Contact').locator('option', { hasText: 'alice@acme.example' })).toHaveCount(1);
  await sam.getByLabel('Kind of request').selectOption('maintenance');
  await expect(sam.getByText('no SLA clock runs on it')).toBeVisible();
  const task = `Database upgrade on Saturday ${Date.now()}`;
  await sam.getByLabel('Summary').fill(task);
  await sam.getByLabel('Description').fill('Expect ten minutes of read-only mode.');
  await sam.getByRole('button', { name: 'Open the maintenance task' }).click();
  await expect(sam).toHaveURL(/\/cases\/\d+$/);
  const number = sam.url().split('/').pop();

  // Another contact of the organization reads it, and its log says it carries no SLA.
  const olga = await newSignedInPage(browser, 'olga@acme.example');
  await olga.goto(`/cases/${number}`);
  await hydrated(olga);
  await expect(olga.getByRole('heading', { name: task })).toBeVisible();
  await expect(olga.getByText(/maintenance task to inform the organization \(no SLA\)/)).toBeVisible();
  await expectAccessible(olga);
});
