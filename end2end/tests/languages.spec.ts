import { test, expect } from '@playwright/test';
import { hydrated, PASSWORD } from './helpers';

// One rule for a page's language, on the server render and after hydration: the person's
// saved choice, else the browser's Accept-Language (issue #22, item 7).

test('a French browser reads French after hydration and after a wrong password', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Se connecter à Caseboard');
  await page.getByLabel('E-mail').fill('nobody@acme.example');
  await page.getByLabel('Mot de passe').fill('not-the-password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-mail inconnu ou mot de passe erroné.');
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await context.close();
});

test('a Chinese browser gets a Chinese board after signing in', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('电子邮件').fill('mei@caseboard.example');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('看板');
  // A fresh load (server render, then hydration) says the same.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('看板');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await context.close();
});

test('a language chosen while signed in follows the person to another browser', async ({ browser }) => {
  const first = await browser.newContext({ locale: 'en-US' });
  const page = await first.newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill('bruno@globex.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await hydrated(page);
  const saved = page.waitForResponse((r) => r.url().includes('choose_language') && r.ok());
  await page.locator('label.language select').selectOption('fr');
  await saved;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mes cas');

  // Another browser, English, signs in as the same person: their choice wins.
  const second = await browser.newContext({ locale: 'en-US' });
  const other = await second.newPage();
  await other.goto('/sign-in');
  await hydrated(other);
  await other.getByLabel('Email').fill('bruno@globex.example');
  await other.getByLabel('Password').fill(PASSWORD);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other).toHaveURL(/\/cases$/);
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Mes cas');
  await other.reload();
  await hydrated(other);
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Mes cas');
  await expect(other.locator('html')).toHaveAttribute('lang', 'fr');

  // Back to English, chosen the same way, for the tests that follow.
  const back = other.waitForResponse((r) => r.url().includes('choose_language') && r.ok());
  await other.locator('label.language select').selectOption('en');
  await back;
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('My cases');
  await first.close();
  await second.close();
});

test('French and Chinese pages show no message id, no English unit, no ambiguous zone', async ({ browser, request }) => {
  for (const locale of ['fr-FR', 'zh-CN']) {
    const context = await browser.newContext({ locale, timezoneId: 'America/Chicago' });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await hydrated(page);
    await page.locator('#email').fill('olga@acme.example');
    await page.locator('#password').fill(PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await expect(page).toHaveURL(/\/cases$/);
    const token = (await (await request.post('/api/v1/auth/token', { data: { email: 'olga@acme.example', password: PASSWORD } })).json()).token;
    const created = await request.post('/api/v1/cases', { headers: { authorization: `Bearer ${token}` },
      data: { summary: `Locale ${locale} ${Date.now()}`, description: 'x', kind: 'question', severity: 3, environment: 'production' } });
    const number = (await created.json()).number;
    for (const path of ['/cases', `/cases/${number}`, '/cases/new', '/settings/notifications', '/kb']) {
      await page.goto(path);
      await hydrated(page);
      const text = await page.locator('body').innerText();
      expect(text, `${locale} ${path}`).not.toContain('Unknown localization');
      expect(text, `${locale} ${path}`).not.toMatch(/\bCST\b|\bKiB\b/);
    }
    await context.close();
  }
});
