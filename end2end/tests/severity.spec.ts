import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

test('a customer asks for a more urgent severity; support sees why and raises it', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Raise ${Date.now()}`);
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);
  await chloe.getByText('Ask for a more urgent severity').click();
  await chloe.getByLabel('Severity you need').selectOption('1');
  await chloe.getByLabel(/Why\? What is at stake/).fill('Invoices cannot be sent: month-end closing is tomorrow.');
  await expectAccessible(chloe);
  await chloe.getByRole('button', { name: 'Ask support' }).click();
  await expect(chloe.locator('ol.timeline')).toContainText('asks to raise the severity to 1 – Urgent');
  await expect(chloe.locator('ol.timeline')).toContainText('month-end closing is tomorrow');

  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await sam.goto(`/cases/${number}`);
  await hydrated(sam);
  await expect(sam.locator('ol.timeline')).toContainText('month-end closing is tomorrow');
  await sam.getByLabel('Severity', { exact: true }).selectOption('1');
  await sam.getByRole('button', { name: 'Change severity' }).click();
  await expect(sam.locator('ol.timeline')).toContainText('changed the severity from 3 – Normal to 1 – Urgent');
  // The customer's page follows live.
  await expect(chloe.locator('ol.timeline')).toContainText('changed the severity from 3 – Normal to 1 – Urgent');
});
