import { test, expect } from '@playwright/test';
import { emailTo, expectAccessible, hydrated, newSignedInPage } from './helpers';

test('an organization admin says which contacts may open cases', async ({ browser }) => {
  const olga = await newSignedInPage(browser, 'olga@acme.example');
  await olga.getByRole('link', { name: 'Contacts' }).click();
  await expect(olga).toHaveURL(/\/organization\/contacts$/);
  await hydrated(olga);
  await expect(olga.getByTestId('seats')).toContainText('every contact');
  const alice = olga.getByRole('checkbox', { name: 'Alice Martin' });
  await expect(alice).toBeChecked();
  await expectAccessible(olga);
  // Each change is saved before the page is read again.
  await Promise.all([olga.waitForResponse(/set_case_opener/), alice.uncheck()]);
  await olga.reload();
  await hydrated(olga);
  await expect(olga.getByRole('checkbox', { name: 'Alice Martin' })).not.toBeChecked();
  await Promise.all([olga.waitForResponse(/set_case_opener/), olga.getByRole('checkbox', { name: 'Alice Martin' }).check()]);
  await olga.reload();
  await hydrated(olga);
  await expect(olga.getByRole('checkbox', { name: 'Alice Martin' })).toBeChecked();
});

test('an organization admin invites a contact, who chooses a password from the emailed link and is signed in', async ({ browser }) => {
  const olga = await newSignedInPage(browser, 'olga@acme.example');
  await olga.goto('/organization/contacts');
  await hydrated(olga);
  const email = `erin.${Date.now()}@acme.example`;
  await olga.getByLabel('Name', { exact: true }).fill('Erin <b>Lane</b>');
  await olga.getByLabel('Email', { exact: true }).fill(email);
  await olga.getByLabel('May open cases (takes one of the seats)').check();
  await olga.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(olga.getByRole('status').filter({ hasText: 'Invitation sent to' })).toContainText(email);
  await expect(olga.getByRole('checkbox', { name: 'Erin <b>Lane</b>' })).toBeChecked();
  await expectAccessible(olga);
  // The same address again: refused, the form keeps what was typed.
  await olga.getByLabel('Name', { exact: true }).fill('Erin Again');
  await olga.getByLabel('Email', { exact: true }).fill(email);
  await olga.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(olga.getByRole('alert').filter({ hasText: 'Email' })).toBeVisible();

  const mail = await emailTo(email);
  expect(mail).toContain('Olga Petrova');
  const link = mail.match(/\/invitation\/[0-9a-f]{64}/)![0];
  const erin = await (await browser.newContext()).newPage();
  await erin.goto(link);
  await hydrated(erin);
  await expect(erin.getByRole('heading', { name: 'Welcome to Caseboard' })).toBeVisible();
  await expectAccessible(erin);
  await erin.getByLabel('New password').fill('a long enough secret');
  await erin.getByLabel('The same password again').fill('a different secret!!');
  await erin.getByRole('button', { name: 'Choose this password and sign in' }).click();
  await expect(erin.getByRole('alert')).toHaveText('The two passwords differ.');
  await erin.getByLabel('The same password again').fill('a long enough secret');
  await erin.getByRole('button', { name: 'Choose this password and sign in' }).click();
  await expect(erin).toHaveURL(/\/cases$/);
  await expect(erin.getByRole('heading', { name: 'My cases' })).toBeVisible();

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await hydrated(again);
  await again.getByLabel('New password').fill('another long secret');
  await again.getByLabel('The same password again').fill('another long secret');
  await again.getByRole('button', { name: 'Choose this password and sign in' }).click();
  await expect(again.getByRole('alert')).toContainText('This invitation link has been used');
});
