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

/** API tokens by server and email, asked for once: signing in is limited to 10 a minute per
 * email, and the suite opens many cases as Chloé (a script keeps its token too). */
const tokens = new Map<string, string>();

export async function apiToken(request: APIRequestContext, email: string, baseURL = ''): Promise<string> {
  const key = `${baseURL} ${email}`;
  const known = tokens.get(key);
  if (known) return known;
  const response = await request.post(`${baseURL}/api/v1/auth/token`, { data: { email, password: PASSWORD } });
  expect(response.status(), `a token for ${email}`).toBe(200);
  const token = (await response.json()).token as string;
  tokens.set(key, token);
  return token;
}

/** Opens a case as Chloé (Initech) through the REST API; returns its number. */
export async function openCaseByApi(request: APIRequestContext, summary: string, baseURL = ''): Promise<number> {
  const token = await apiToken(request, 'chloe@initech.example', baseURL);
  const response = await request.post(`${baseURL}/api/v1/cases`, {
    headers: { authorization: `Bearer ${token}` },
    data: { summary, description: 'Opened by the end2end test.', kind: 'question', severity: 3, environment: 'staging' },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).number;
}

/** Drags a board card onto another column with the mouse, sideways at the card's height
 *  (columns span the board's height, so nothing scrolls mid-drag: Playwright's dragTo
 *  scrolls to the target after the mouse is down, and Chromium then drags another card). */
export async function dragCard(page: Page, number: number, from: string, to: string) {
  await page.setViewportSize({ width: 1440, height: 900 });
  const source = page.locator(`section.column[data-status="${from}"] li.card[data-case="${number}"]`);
  await source.scrollIntoViewIfNeeded();
  const s = (await source.boundingBox())!;
  const t = (await page.locator(`section.column[data-status="${to}"]`).boundingBox())!;
  const y = s.y + 10;
  await page.mouse.move(s.x + 12, y);
  await page.mouse.down();
  await page.mouse.move(s.x + 40, y, { steps: 3 });
  await page.mouse.move(t.x + t.width / 2, y, { steps: 8 });
  await page.mouse.up();
}

/** The wizard step on screen. */
export function currentStep(page: Page) {
  return page.locator('form.wizard-step:not([hidden])');
}

/** "Next" on the wizard step on screen; waits for the following step's heading. */
export async function nextStep(page: Page) {
  const heading = await currentStep(page).locator('h2').textContent();
  const n = Number(heading!.match(/(\d+)/)![1]);
  await currentStep(page).getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`^Step ${n + 1}:`) })).toBeVisible();
}

/** Walks the new-case wizard from step 1 to step `to`, giving only what each step needs. */
export async function wizardTo(page: Page, to: number, summary = `Wizard ${Date.now()}`) {
  for (let step = 1; step < to; step++) {
    if (step === 2) {
      await page.getByLabel('Summary', { exact: true }).fill(summary);
      await page.getByLabel('Description', { exact: true }).fill('Opened through the wizard by the end2end test.');
    }
    await nextStep(page);
  }
}

/** The file outbox of the server the tests run against (see serve.sh). */
export function outboxDir(): string {
  const port = Number(process.env.CASEBOARD_E2E_PORT ?? 3100);
  return `${__dirname}/../.data/server-${port}/outbox`;
}

/** Waits for an email to `to` in the server's file outbox; returns it, quoted-printable undone. */
export async function emailTo(to: string, timeoutMs = 10_000): Promise<string> {
  const fs = await import('node:fs');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of fs.existsSync(outboxDir()) ? fs.readdirSync(outboxDir()) : []) {
      const text = fs.readFileSync(`${outboxDir()}/${name}`, 'utf8').replace(/=\r?\n/g, '');
      if (text.includes(`To: ${to}`) || text.includes(`<${to}>`)) return text;
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to} in ${outboxDir()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The second server: an empty database with only the admin of serve.sh `--empty`. */
export function emptyServerURL(): string {
  const port = Number(process.env.CASEBOARD_E2E_PORT ?? 3100) + 1;
  return `http://127.0.0.1:${port}`;
}

/** The admin of the empty server (serve.sh `--empty`). */
export const NEW_TEAM_ADMIN = { email: 'lead@newteam.example', password: 'a long first password' };
