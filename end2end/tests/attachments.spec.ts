import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

// Issue #22, item 3: files chosen, dropped or pasted in the reply area go with the reply.
test('files chosen, dropped or pasted in the reply go with it; a refused file is named and nothing is kept', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Attach ${Date.now()}`);
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);
  const pending = chloe.getByTestId('reply-files');
  const timeline = chloe.locator('ol.timeline');

  // Chosen with the picker, then the text, then Send: one reply with its file.
  await chloe.locator('#reply-files').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
  await expect(pending).toContainText('screen.png');
  await chloe.getByLabel('Your reply').fill('Logs attached');
  await chloe.getByRole('button', { name: 'Send' }).click();
  await expect(timeline).toContainText('Logs attached');
  await expect(timeline.locator('a.attachment')).toContainText('screen.png');
  await expect(pending.locator('li')).toHaveCount(0);

  // Dropped on the zone, and pasted into the text (a screenshot from the clipboard).
  const dropped = await chloe.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['2026-11-03 ERROR export failed\n'], 'export.log', { type: 'text/plain' }));
    return transfer;
  });
  await chloe.dispatchEvent('[data-testid="reply-files-drop-zone"]', 'drop', { dataTransfer: dropped });
  await expect(pending).toContainText('export.log');
  await chloe.locator('#reply-body').evaluate((area, bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, [...PNG]);
  await expect(pending).toContainText('pasted.png');
  await chloe.getByLabel('Your reply').fill('Two more');
  await chloe.getByRole('button', { name: 'Send' }).click();
  await expect(timeline.locator('a.attachment', { hasText: 'export.log' })).toBeVisible();
  await expect(timeline.locator('a.attachment', { hasText: 'pasted.png' })).toBeVisible();

  // An executable: refused, named, nothing added.
  await chloe.locator('#reply-files').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream',
    buffer: Buffer.from('4d5a90000300000004000000ffff0000', 'hex') });
  await expect(chloe.getByRole('alert').filter({ hasText: 'setup.exe' })).toBeVisible();
  await expect(pending.locator('li')).toHaveCount(0);
  await expect(timeline.locator('a.attachment')).toHaveCount(3);
  await expectAccessible(chloe);

  // The download is the file itself.
  const href = await timeline.locator('a.attachment', { hasText: 'export.log' }).getAttribute('href');
  const file = await chloe.request.get(href!);
  expect(file.status()).toBe(200);
  expect(await file.text()).toBe('2026-11-03 ERROR export failed\n');
});

test('a file still uploading holds Send back, and says so', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Slow upload ${Date.now()}`);
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await chloe.route('**/api/v1/uploads', async (route) => { await held; await route.continue(); });
  await chloe.getByLabel('Your reply').fill('Screenshot coming');
  await chloe.locator('#reply-files').setInputFiles({ name: 'slow.png', mimeType: 'image/png', buffer: PNG });
  await expect(chloe.getByTestId('reply-waits')).toHaveText('A file is still uploading: Send waits for it.');
  await expect(chloe.getByRole('button', { name: 'Send' })).toBeDisabled();
  release();
  await expect(chloe.getByTestId('reply-files')).toContainText('slow.png');
  await expect(chloe.getByRole('button', { name: 'Send' })).toBeEnabled();
  await chloe.getByRole('button', { name: 'Send' }).click();
  await expect(chloe.locator('ol.timeline a.attachment')).toContainText('slow.png');
});
