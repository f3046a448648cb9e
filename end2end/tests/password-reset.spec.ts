import { test, expect } from '@playwright/test';
import { apiToken, emailTo, expectAccessible, hydrated } from './helpers';

// A person of its own (created by the administrator): the demo accounts keep their password.
test('someone who forgot their password asks for a link, chooses a new password from the mail and signs in', async ({ browser, request }) => {
  const email = `reset-${Date.now()}@acme.example`;
  const admin = await apiToken(request, 'admin@caseboard.example');
  const created = await request.post('/api/v1/users', {
    headers: { authorization: `Bearer ${admin}` },
    data: { email, password: 'the forgotten password', name: 'Riley Reset', role: 'customer', organization: 'acme' },
  });
  expect(created.status()).toBe(201);

  const page = await (await browser.newContext()).newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/password-reset$/);
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account exists for this address');

  const mail = await emailTo(email);
  const link = mail.match(/\/password-reset\/[0-9a-f]{64}/)![0];
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('New password').fill('a fresh new passphrase');
  await page.getByLabel('The same password again').fill('a different passphrase');
  await page.getByRole('button', { name: 'Choose this password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two passwords differ.');
  await page.getByLabel('The same password again').fill('a fresh new passphrase');
  await page.getByRole('button', { name: 'Choose this password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');

  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a fresh new passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/cases$/);

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await hydrated(again);
  await again.getByLabel('New password').fill('yet another passphrase');
  await again.getByLabel('The same password again').fill('yet another passphrase');
  await again.getByRole('button', { name: 'Choose this password' }).click();
  await expect(again.getByRole('alert')).toContainText('This link has been used');
});
