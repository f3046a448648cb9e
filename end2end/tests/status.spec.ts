import { test, expect } from '@playwright/test';
import { apiToken, expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

test('an engineer opens an incident on Compute, links a customer case, posts an update; the public status shows it', async ({ browser, request, baseURL }) => {
  const stamp = Date.now();
  const title = `Compute outage ${stamp}`;
  const component = `Compute ${stamp}`;
  const number = await openCaseByApi(request, `VMs do not start ${stamp}`, baseURL);

  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await sam.goto('/status/manage');
  await hydrated(sam);
  await expect(sam.getByRole('heading', { name: 'Manage the platform status', level: 1 })).toBeVisible();
  await sam.getByLabel('Name').fill(component);
  await sam.getByLabel('Group').fill('Infrastructure');
  await sam.getByRole('button', { name: 'Add the component' }).click();
  await expect(sam.getByRole('listitem').filter({ hasText: component })).toBeVisible();

  await sam.locator('#incident-title').fill(title);
  await sam.locator('#incident-component').selectOption({ label: component });
  await sam.locator('#incident-component-status').selectOption('major_outage');
  await sam.locator('#incident-message').fill('We are investigating.');
  await sam.getByRole('button', { name: 'Open the incident' }).click();
  const card = sam.getByRole('listitem').filter({ has: sam.getByRole('heading', { name: title }) });
  await expect(card).toBeVisible();
  await expectAccessible(sam);

  await card.getByLabel('Case number').fill(String(number));
  await card.getByRole('button', { name: 'Link the case' }).click();
  await expect(card.getByRole('link', { name: `#${number}` })).toBeVisible();
  await card.getByLabel('Status', { exact: true }).selectOption('identified');
  await card.getByLabel('Message', { exact: true }).fill('A hypervisor firmware bug.');
  await card.getByRole('button', { name: 'Post the update' }).click();
  await expect(card.getByText('A hypervisor firmware bug.')).toBeVisible();

  // The customer's case has the update.
  const token = await apiToken(request, 'chloe@initech.example', baseURL);
  const events = await (await request.get(`${baseURL}/api/v1/cases/${number}/events`, {
    headers: { Authorization: `Bearer ${token}` },
  })).json();
  expect(JSON.stringify(events)).toContain('A hypervisor firmware bug.');

  // The public page, signed out.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/status');
  await hydrated(visitor);
  await expect(visitor.getByRole('heading', { name: 'Platform status', level: 1 })).toBeVisible();
  await expect(visitor.getByRole('heading', { name: title })).toBeVisible();
  await expect(visitor.getByText('A hypervisor firmware bug.')).toBeVisible();
  await expect(visitor.getByText(component, { exact: true })).toBeVisible();
  await expectAccessible(visitor);
});
