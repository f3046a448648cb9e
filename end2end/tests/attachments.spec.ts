import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('a customer attaches a screenshot and a dropped log; a refused file is named and nothing is kept', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Attach ${Date.now()}`);
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);

  // Chosen with the file picker.
  await chloe.locator('#attach-files').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
  await expect(chloe.locator('.drop-zone .chosen')).toContainText('screen.png');
  await chloe.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(chloe.locator('.attach-status')).toContainText('Attached.');
  await expect(chloe.locator('ol.timeline a.attachment')).toContainText('screen.png');

  // Dropped on the zone.
  const dropped = await chloe.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['2026-11-03 ERROR export failed\n'], 'export.log', { type: 'text/plain' }));
    return transfer;
  });
  await chloe.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer: dropped });
  await expect(chloe.locator('.drop-zone .chosen')).toContainText('export.log');
  await chloe.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(chloe.locator('ol.timeline a.attachment', { hasText: 'export.log' })).toBeVisible();

  // An executable: refused, named, nothing added.
  await chloe.locator('#attach-files').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream',
    buffer: Buffer.from('4d5a90000300000004000000ffff0000', 'hex') });
  await chloe.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(chloe.getByRole('alert').filter({ hasText: 'setup.exe' })).toBeVisible();
  await expect(chloe.locator('ol.timeline a.attachment')).toHaveCount(2);
  await expectAccessible(chloe);

  // The download is the file itself.
  const href = await chloe.locator('ol.timeline a.attachment', { hasText: 'export.log' }).getAttribute('href');
  const file = await chloe.request.get(href!);
  expect(file.status()).toBe(200);
  expect(await file.text()).toBe('2026-11-03 ERROR export failed\n');
});
