import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, outboxDir } from './helpers';

/** Waits for an email to `to` whose text matches `pattern`; returns the match. */
async function linkIn(to: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const fs = await import('node:fs');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of fs.existsSync(outboxDir()) ? fs.readdirSync(outboxDir()) : []) {
      const text = fs.readFileSync(`${outboxDir()}/${name}`, 'utf8').replace(/=\r?\n/g, '');
      const found = text.match(pattern);
      if ((text.includes(`To: ${to}`) || text.includes(`<${to}>`)) && found) return found[0];
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to} matching ${pattern} in ${outboxDir()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('someone asks for an account, confirms it from the mail, an admin approves it, they choose a password and sign in', async ({ browser }) => {
  const email = `register-${Date.now()}@initrode.example`;
  const page = await (await browser.newContext()).newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByRole('link', { name: 'Ask for an account' }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole('heading', { name: 'Ask for an account' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Your name').fill('Dana <b>Reed</b>');
  await page.getByLabel('Your organization').fill('Initrode');
  await page.getByLabel('Message to our team (optional)').fill('We signed the Gold plan last week.');
  await page.getByRole('button', { name: 'Ask for an account' }).click();
  await expect(page.getByRole('status')).toContainText('A link to confirm your request is on its way');

  const verify = await linkIn(email, /\/register\/verify\/[0-9a-f]{64}/);
  await page.goto(verify);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Confirm your account request' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Confirm my request' }).click();
  await expect(page.getByRole('status')).toContainText('your request is confirmed');

  const admin = await newSignedInPage(browser, 'admin@caseboard.example');
  await admin.goto('/admin/registrations');
  await hydrated(admin);
  await expect(admin.getByRole('heading', { name: 'Account requests', level: 1 })).toBeVisible();
  const request = admin.getByRole('listitem').filter({ hasText: email });
  // The name is shown as typed, never as markup.
  await expect(request.getByRole('heading', { name: 'Dana <b>Reed</b>' })).toBeVisible();
  await expectAccessible(admin);
  await request.getByLabel('Organization to add them to').fill('acme');
  await request.getByRole('button', { name: 'Approve' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'is approved' })).toContainText(email);
  await expect(admin.getByRole('listitem').filter({ hasText: email })).toHaveCount(0);

  const invitation = await linkIn(email, /\/invitation\/[0-9a-f]{64}/);
  await page.goto(invitation);
  await hydrated(page);
  await page.getByLabel('New password').fill('a long enough secret');
  await page.getByLabel('The same password again').fill('a long enough secret');
  await page.getByRole('button', { name: 'Choose this password and sign in' }).click();
  await expect(page).toHaveURL(/\/cases/);

  // The verification link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(verify);
  await hydrated(again);
  await again.getByRole('button', { name: 'Confirm my request' }).click();
  await expect(again.getByRole('alert')).toContainText('This link has been used');
});
