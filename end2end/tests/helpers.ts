import { expect, type Page, type Browser, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const PASSWORD = 'caseboard-demo';

/** Waits until the WASM has hydrated the page (the server marks nothing; the client does). */
export async function hydrated(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

export async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function newSignedInPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page).not.toHaveURL(/\/sign-in/);
  return page;
}

/** axe-core: no serious or critical violation. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Opens a case as Chloé (Initech) through the REST API; returns its number. */
export async function openCaseByApi(request: APIRequestContext, summary: string, baseURL = ''): Promise<number> {
  const token = (await (await request.post(`${baseURL}/api/v1/auth/token`, { data: { email: 'chloe@initech.example', password: PASSWORD } })).json()).token;
  const response = await request.post(`${baseURL}/api/v1/cases`, {
    headers: { authorization: `Bearer ${token}` },
    data: { summary, description: 'Opened by the end2end test.', kind: 'question', severity: 3, environment: 'staging' },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).number;
}
