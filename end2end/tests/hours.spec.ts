import { test, expect, type APIRequestContext } from '@playwright/test';
import { PASSWORD, apiToken, expectAccessible, hydrated, newSignedInPage, openCaseByApi } from './helpers';

/** Initech's organization admin (Initech is on Cloud Avenue Gold: 4 h of expertise a month),
 * made by the Caseboard admin through the REST API. */
async function initechAdmin(request: APIRequestContext): Promise<string> {
  const email = 'ines@initech.example';
  const token = await apiToken(request, 'admin@caseboard.example');
  const headers = { authorization: `Bearer ${token}` };
  await request.post('/api/v1/users', {
    headers,
    data: { email, password: PASSWORD, name: 'Inès Moreau', role: 'customer', organization: 'initech' },
  });
  const contacts = await (await request.get('/api/v1/organizations/initech/contacts', { headers })).json();
  const id = contacts.contacts.find((c: { email: string }) => c.email === email).id;
  const made = await request.put(`/api/v1/organizations/initech/contacts/${id}`, { headers, data: { org_admin: true } });
  expect(made.status()).toBe(200);
  return email;
}

test('an engineer logs 90 minutes of expertise on a Gold case; the organization admin sees 4 h become 2 h 30 with the case', async ({ browser, request }) => {
  const summary = `Expertise ${Date.now()}`;
  const number = await openCaseByApi(request, summary);
  const admin = await newSignedInPage(browser, await initechAdmin(request));
  await admin.goto('/organization/hours');
  await hydrated(admin);
  await expect(admin.getByTestId('hours-balance')).toHaveText('Balance: 4 h');
  await expectAccessible(admin);

  const sam = await newSignedInPage(browser, 'sam@caseboard.example');
  await sam.goto(`/cases/${number}`);
  await hydrated(sam);
  await expect(sam.getByTestId('time-balance')).toContainText('4 h');
  // Told before logging when the bank cannot cover it.
  await sam.getByLabel('Minutes').fill('300');
  await expect(sam.getByTestId('time-warning')).toContainText('1 h of this entry will be recorded as overage');
  await sam.getByLabel('Minutes').fill('90');
  await expect(sam.getByTestId('time-warning')).toHaveText('');
  await sam.getByLabel('Activity').selectOption('expertise');
  await sam.getByLabel('Note (optional)').fill('Sizing the cluster');
  await expectAccessible(sam);
  await sam.getByRole('button', { name: 'Log time' }).click();
  await expect(sam.getByTestId('time-logged')).toHaveText('1 h 30 min logged.');
  await expect(sam.locator('ol.timeline')).toContainText('logged 1 h 30 min of billable expertise');
  await expect(sam.getByTestId('time-balance')).toContainText('2 h 30 min');

  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByTestId('hours-balance')).toHaveText('Balance: 2 h 30 min');
  const usage = admin.getByTestId('hours-ledger').locator('tr.ledger-usage').first();
  await expect(usage).toContainText(`#${number} ${summary}`);
  await expect(usage).toContainText('1 h 30 min');
  await expect(usage.getByRole('link')).toHaveAttribute('href', `/cases/${number}`);
  await expect(admin.getByTestId('hours-burn-down')).toContainText('4 h');
  await expectAccessible(admin);
});
