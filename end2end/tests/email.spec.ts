import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

test('a customer chooses which emails they get, and the choice is kept', async ({ browser }) => {
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.getByRole('link', { name: 'Email settings' }).click();
  await expect(alice).toHaveURL(/\/settings\/notifications$/);
  await hydrated(alice);
  const replies = alice.getByLabel('support replies on my case');
  await expect(replies).toBeChecked();
  await expect(alice.getByLabel('a case is assigned to me')).toHaveCount(0);
  await expectAccessible(alice);
  await replies.uncheck();
  await expect(alice.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await alice.reload();
  await hydrated(alice);
  await expect(alice.getByLabel('support replies on my case')).not.toBeChecked();
  await alice.getByLabel('support replies on my case').check();
  await expect(alice.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
});

test('a reply by email appears on the open case page without reload', async ({ browser, request }) => {
  const number = await openCaseByApi(request, `Email reply ${Date.now()}`);
  const chloe = await newSignedInPage(browser, 'chloe@initech.example');
  await chloe.goto(`/cases/${number}`);
  await hydrated(chloe);
  const address = (await chloe.getByTestId('reply-address').textContent())!.trim();
  expect(address).toMatch(new RegExp(`^support\\+c${number}-u\\d+-[0-9a-f]{20}@`));
  await expectAccessible(chloe);

  const raw = [
    'From: =?UTF-8?Q?Chlo=C3=A9_Durand?= <chloe@initech.example>',
    `To: Caseboard Support <${address}>`,
    `Subject: Re: [#${number}] Réponse du support : Email reply`,
    `Message-ID: <e2e-${Date.now()}@initech.example>`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Le correctif fonctionne, merci.',
    '',
    `Le mar. 3 nov. 2026 à 10:12, Caseboard Support <${address}> a écrit :`,
    '> Pouvez-vous essayer le correctif ?',
    '',
  ].join('\r\n');
  const response = await request.post('/api/v1/mail/inbound', {
    headers: { authorization: 'Bearer e2e-mailgate', 'content-type': 'message/rfc822' },
    data: Buffer.from(raw, 'utf8'),
  });
  expect(response.status()).toBe(202);
  await expect(chloe.locator('ol.timeline')).toContainText('Le correctif fonctionne, merci.');
  await expect(chloe.locator('ol.timeline')).not.toContainText('Pouvez-vous essayer');
  await expect(chloe.locator('.live-notice')).toBeVisible();
});
