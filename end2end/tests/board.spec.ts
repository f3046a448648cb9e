import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dragCard, expectAccessible, hydrated, newSignedInPage, openCaseByApi, PASSWORD } from './helpers';

async function token(request: import('@playwright/test').APIRequestContext, email: string, baseURL = '') {
  return (await (await request.post(`${baseURL}/api/v1/auth/token`, { data: { email, password: PASSWORD } })).json()).token;
}

test('the keyboard moves and takes a card; the other engineer is told of an assignment', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Keyboard ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  const mei = await newSignedInPage(browser, 'mei@caseboard.example');
  await hydrated(sam);
  await hydrated(mei);
  await expect(mei.locator('.live-status')).toHaveAttribute('data-live', 'live');

  const card = sam.locator(`li.card[data-case="${number}"]`);
  await card.focus();
  await sam.keyboard.press('Alt+ArrowRight'); // New → Feedback
  await expect(sam.locator(`section.column[data-status="feedback"] li.card[data-case="${number}"]`)).toBeVisible();
  await expect(sam.getByRole('status').filter({ hasText: 'moved' })).toContainText(`Case ${number} moved to Feedback`);
  await expect(sam.locator(`section.column[data-status="feedback"] li.card[data-case="${number}"] .waiting-customer`)).toBeVisible();

  // Nobody on it (automatic assignment depends on the hour): Mei takes it with T on her
  // board; Sam's board shows her name, Mei's says so.
  const meiToken = await token(request, 'mei@caseboard.example');
  const unassigned = await request.post(`/api/v1/cases/${number}/assign`, {
    headers: { authorization: `Bearer ${meiToken}` }, data: { engineer: null },
  });
  expect(unassigned.status()).toBe(200);
  await expect(sam.locator(`li.card[data-case="${number}"] [data-testid="assignee"]`)).toHaveText('Unassigned');
  const meiCard = mei.locator(`section.column[data-status="feedback"] li.card[data-case="${number}"]`);
  await expect(meiCard).toBeVisible();
  await meiCard.focus();
  await mei.keyboard.press('t');
  await expect(mei.getByRole('status').filter({ hasText: 'assigned' })).toContainText(`Case ${number} assigned to Mei Lin`);
  await expect(sam.locator(`li.card[data-case="${number}"] [data-testid="assignee"]`)).toHaveText('Mei Lin');

  // Mei hands it to Sam through the API: Sam's board tells him.
  const response = await request.post(`/api/v1/cases/${number}/assign`, {
    headers: { authorization: `Bearer ${meiToken}` }, data: { engineer: 'sam@caseboard.example' },
  });
  expect(response.status()).toBe(200);
  await expect(sam.getByRole('status').filter({ hasText: 'assigned to you' })).toContainText(`Case ${number} was assigned to you`);
  await sam.goto('/board?assignee=mine');
  await hydrated(sam);
  await expect(sam.locator(`li.card[data-case="${number}"]`)).toBeVisible();
  await sam.goto('/board?assignee=unassigned');
  await hydrated(sam);
  await expect(sam.locator(`li.card[data-case="${number}"]`)).toHaveCount(0);
});

test('dropping a card on Resolved asks for the resolution', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Resolve by drop ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await hydrated(sam);
  await expect(sam.locator(`section.column[data-status="new"] li.card[data-case="${number}"]`)).toBeVisible();
  await dragCard(sam, number, 'new', 'resolved');
  const dialog = sam.getByRole('dialog');
  await expect(dialog).toContainText(`Resolve case ${number}`);
  await dialog.getByLabel('Resolution').selectOption('not_a_bug');
  await dialog.getByRole('button', { name: 'Move' }).click();
  await expect(sam.locator(`section.column[data-status="resolved"] li.card[data-case="${number}"]`)).toBeVisible();
  await sam.goto(`/cases/${number}`);
  await expect(sam.locator('dl.facts')).toContainText('Not a bug');
});

test('swimlanes by engineer, and the case view, pass axe-core', async ({ browser }) => {
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await sam.goto('/board?lane=assignee');
  await hydrated(sam);
  await expect(sam.locator('section.lane h2.lane-title').first()).toBeVisible();
  await expectAccessible(sam);
  await sam.goto('/cases/1001');
  await hydrated(sam);
  await expect(sam.getByLabel('Assign to')).toBeVisible();
  await expectAccessible(sam);
});

test('the board reconnects after a server restart and misses nothing', async ({ browser, request }) => {
  // A server of its own, so it can be stopped and started again on the same database.
  const root = path.resolve('..');
  const data = mkdtempSync(path.join(tmpdir(), 'caseboard-restart-'));
  const port = 3100 + 7;
  const base = `http://127.0.0.1:${port}`;
  const start = (): ChildProcess => spawn(path.join(root, 'target/debug/caseboard'), ['serve', '--demo'], {
    cwd: root,
    env: { ...process.env, CASEBOARD_ADDR: `127.0.0.1:${port}`, CASEBOARD_DATA_DIR: data, LEPTOS_SITE_ROOT: path.join(root, 'target/site') },
    stdio: 'ignore',
  });
  const healthy = async () => {
    for (let i = 0; i < 100; i++) {
      try { if ((await request.get(`${base}/healthz`)).ok()) return; } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  };
  const stop = (server: ChildProcess) => new Promise<void>((resolve) => { server.on('exit', () => resolve()); server.kill('SIGTERM'); });
  let server = start();
  try {
    await healthy();
    const context = await browser.newContext({ baseURL: base });
    const sam = await context.newPage();
    await sam.goto('/sign-in');
    await hydrated(sam);
    await sam.getByLabel('Email').fill('sam@caseboard.example');
    await sam.getByLabel('Password').fill(PASSWORD);
    await sam.getByRole('button', { name: 'Sign in' }).click();
    await expect(sam).not.toHaveURL(/\/sign-in/);
    await sam.goto('/board');
    await hydrated(sam);
    await expect(sam.locator('.live-status')).toHaveAttribute('data-live', 'live');

    await stop(server);
    await expect(sam.locator('.live-status')).toHaveAttribute('data-live', 'offline');
    server = start();
    await healthy();
    // Committed while Sam's browser is still reconnecting: the replay must bring it.
    const number = await openCaseByApi(request, `While you were away ${Date.now()}`, base);
    await expect(sam.locator('.live-status')).toHaveAttribute('data-live', 'live', { timeout: 30_000 });
    await expect(sam.locator(`section.column[data-status="new"] li.card[data-case="${number}"]`)).toBeVisible();
    await context.close();
  } finally {
    await stop(server);
    rmSync(data, { recursive: true, force: true });
  }
});

test('a duplicate names the case it duplicates; related cases are linked from the case view', async ({ browser, request }) => {
  const original = await openCaseByApi(request, `Original ${Date.now()}`);
  const again = await openCaseByApi(request, `Again ${Date.now()}`);
  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await hydrated(sam);
  await expect(sam.locator(`section.column[data-status="new"] li.card[data-case="${again}"]`)).toBeVisible();
  await dragCard(sam, again, 'new', 'resolved');
  const dialog = sam.getByRole('dialog');
  await dialog.getByLabel('Resolution').selectOption('duplicate');
  await dialog.getByLabel('Duplicate of case').fill(String(original));
  await dialog.getByRole('button', { name: 'Move' }).click();
  await expect(sam.locator(`section.column[data-status="resolved"] li.card[data-case="${again}"]`)).toBeVisible();

  await sam.goto(`/cases/${original}`);
  await hydrated(sam);
  await expect(sam.getByTestId('links')).toContainText(`duplicated by #${again}`);
  await sam.getByLabel('Link a related case').fill('1001');
  await sam.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(sam.getByTestId('links')).toContainText('related to #1001');
});
