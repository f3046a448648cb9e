import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, nextStep, signIn } from './helpers';

test('a customer opens a case, an engineer confirms it on the board, the customer sees it', async ({ browser }) => {
  const summary = `Exports fail with error 500 ${Date.now()}`;

  // Customer (Acme) opens a case.
  const customer = await newSignedInPage(browser, 'alice@acme.example');
  await expect(customer).toHaveURL(/\/cases$/);
  await expect(customer.getByRole('heading', { name: 'My cases' })).toBeVisible();
  await hydrated(customer);
  await customer.getByRole('link', { name: 'Open a case' }).first().click();
  await expect(customer.getByRole('heading', { name: 'Open a case' })).toBeVisible();
  await hydrated(customer);
  await customer.getByLabel('Kind of request').selectOption('bug');
  await nextStep(customer);
  await customer.getByLabel('Summary', { exact: true }).fill(summary);
  await customer.getByLabel('Description', { exact: true }).fill('Every CSV export since this morning ends with HTTP 500.');
  await customer.getByLabel('Environment').selectOption('production');
  await nextStep(customer);
  await customer.getByLabel('Severity', { exact: true }).selectOption('2');
  await nextStep(customer);
  await nextStep(customer);
  await nextStep(customer);
  await customer.getByRole('button', { name: 'Open the case' }).click();

  const notice = customer.getByRole('status').filter({ hasText: 'is open' });
  await expect(notice).toBeVisible();
  const number = (await notice.textContent())!.match(/Case (\d+) is open/)![1];
  await expect(customer.getByTestId('case-status')).toHaveText('New');

  await customer.getByRole('link', { name: 'My cases' }).click();
  const row = customer.getByRole('row').filter({ hasText: summary });
  await expect(row).toContainText(number);
  await expect(row).toContainText('New');

  // Engineer moves it to Confirmed on the board.
  const engineer = await newSignedInPage(browser, 'sam@caseboard.example');
  await expect(engineer).toHaveURL(/\/board$/);
  await hydrated(engineer);
  const newColumn = engineer.locator('section.column[data-status="new"]');
  const card = newColumn.locator(`li.card[data-case="${number}"]`);
  await expect(card).toContainText(summary);
  await expect(card).toContainText('Acme Analytics');
  await card.getByLabel('Move to').selectOption('confirmed');
  await card.getByRole('button', { name: 'Move' }).click();
  await expect(engineer.getByRole('status').filter({ hasText: 'moved' })).toContainText(`Case ${number} moved to Confirmed`);
  await expect(engineer.locator(`section.column[data-status="confirmed"] li.card[data-case="${number}"]`)).toBeVisible();
  await expect(newColumn.locator(`li.card[data-case="${number}"]`)).toHaveCount(0);

  // The customer's case page shows the new status.
  await customer.goto(`/cases/${number}`);
  await expect(customer.getByTestId('case-status')).toHaveText('Confirmed');
  await expect(customer.getByRole('listitem').filter({ hasText: 'Sam Okafor moved the case from New to Confirmed' })).toBeVisible();
});

test('a customer of another organization cannot see the case', async ({ browser }) => {
  const other = await newSignedInPage(browser, 'bruno@globex.example');
  await hydrated(other);
  // Case 1001 is Acme's (demo data).
  await other.goto('/cases/1001');
  await expect(other.getByRole('alert')).toHaveText('This case does not exist or is not yours to see.');
  await other.goto('/cases');
  await expect(other.getByRole('row').filter({ hasText: 'Executive dashboard' })).toHaveCount(0);
});

test('an unknown email and a wrong password get the same message', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill('nobody@nowhere.example');
  await page.getByLabel('Password').fill('whatever-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Unknown email or wrong password.');
  const unknown = await page.getByRole('alert').textContent();

  await page.getByLabel('Email').fill('alice@acme.example');
  await page.getByLabel('Password').fill('not-her-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(unknown!);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a customer is kept off the board, and a visitor is sent to sign in', async ({ browser, page }) => {
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/sign-in$/);

  const customer = await newSignedInPage(browser, 'alice@acme.example');
  await expect(customer).toHaveURL(/\/cases$/);
  await customer.goto('/board');
  await expect(customer.getByRole('alert')).toHaveText('You are not allowed to do this.');
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'alice@acme.example');
  await expect(page).toHaveURL(/\/cases$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('pages read in French and Chinese', async ({ page }) => {
  await page.goto('/sign-in?lang=fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Se connecter à Caseboard');
  await page.goto('/sign-in?lang=zh');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录 Caseboard');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
});

test('sign-in, case list and board have no serious accessibility violation', async ({ browser, page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  await expectAccessible(page);

  const customer = await newSignedInPage(browser, 'alice@acme.example');
  await expect(customer.getByRole('table')).toBeVisible();
  await hydrated(customer);
  await expectAccessible(customer);

  const engineer = await newSignedInPage(browser, 'sam@caseboard.example');
  await expect(engineer.locator('section.column').first()).toBeVisible();
  await hydrated(engineer);
  await expectAccessible(engineer);
});
