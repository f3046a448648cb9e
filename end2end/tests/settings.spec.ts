import { test, expect, type Browser, type Page } from '@playwright/test';
import { apiToken, expectAccessible, hydrated } from './helpers';

// A person of its own (created by the administrator): the demo accounts keep their name,
// language and password for the other specs.
async function newPerson(request: import('@playwright/test').APIRequestContext, password: string) {
  const email = `settings-${Date.now()}-${Math.floor(Math.random() * 1e6)}@acme.example`;
  const admin = await apiToken(request, 'admin@caseboard.example');
  const created = await request.post('/api/v1/users', {
    headers: { authorization: `Bearer ${admin}` },
    data: { email, password, name: 'Sasha Settings', role: 'customer', organization: 'acme' },
  });
  expect(created.status()).toBe(201);
  return email;
}

async function signInAs(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  return page;
}

test('a person changes their name and language, and sees the settings page in French', async ({ browser, request }) => {
  const password = 'settings passphrase one';
  const email = await newPerson(request, password);
  const page = await signInAs(browser, email, password);

  await page.locator('header.top').getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Your settings' })).toBeVisible();
  await expectAccessible(page);

  // An unknown time zone is refused on its field, and nothing is saved.
  await page.getByLabel('Time zone').fill('Mars/Olympus');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Time zone')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Name', { exact: true }).fill('Sasha Réglages');
  await page.getByLabel('Time zone').fill('Europe/Paris');
  await page.getByLabel('Language of your pages and emails').selectOption('fr');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Vos paramètres' })).toBeVisible();
  await expect(page.getByTestId('profile-saved')).toHaveText('Vos paramètres sont enregistrés.');
  await expect(page.locator('header.top')).toContainText('Sasha Réglages');

  // The next page the server renders is in French too, and so is the saved profile.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Vos paramètres' })).toBeVisible();
  await expect(page.getByLabel('Fuseau horaire')).toHaveValue('Europe/Paris');
  await expectAccessible(page);
});

test('a person changes their password: a wrong current one is refused, then every other session ends', async ({ browser, request }) => {
  const password = 'settings passphrase two';
  const email = await newPerson(request, password);
  const here = await signInAs(browser, email, password);
  const elsewhere = await signInAs(browser, email, password);

  await here.goto('/settings');
  await hydrated(here);
  await expect(here.getByTestId('session-row')).toHaveCount(2);
  await expect(here.locator('[data-testid="session-row"][data-current="true"]')).toContainText('This browser');

  await here.getByLabel('Current password').fill('not my password at all');
  await here.getByLabel('New password').fill('a brand new passphrase');
  await here.getByRole('button', { name: 'Change the password' }).click();
  await expect(here.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');

  await here.getByLabel('Current password').fill(password);
  await here.getByLabel('New password').fill('a brand new passphrase');
  await here.getByRole('button', { name: 'Change the password' }).click();
  await expect(here.getByTestId('password-changed')).toContainText('Your password is changed');
  await expect(here.getByTestId('session-row')).toHaveCount(1);

  // The other browser is signed out at once.
  await elsewhere.goto('/settings');
  await expect(elsewhere).toHaveURL(/\/sign-in/);
});

test('a person signs out another session from the settings page', async ({ browser, request }) => {
  const password = 'settings passphrase three';
  const email = await newPerson(request, password);
  const here = await signInAs(browser, email, password);
  const elsewhere = await signInAs(browser, email, password);

  await here.goto('/settings');
  await hydrated(here);
  const other = here.locator('[data-testid="session-row"][data-current="false"]');
  await expect(other).toHaveCount(1);
  await other.getByRole('button', { name: 'Sign out there' }).click();
  await expect(here.getByTestId('session-row')).toHaveCount(1);
  await expect(here.locator('[data-testid="session-row"][data-current="true"]')).toHaveCount(1);

  await elsewhere.goto('/settings');
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  // This browser is still signed in.
  await here.reload();
  await hydrated(here);
  await expect(here.getByRole('heading', { name: 'Your settings' })).toBeVisible();
});
