import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage } from './helpers';

// An admin sets up an engineer through the console: creates them, refuses a bad zone and
// overlapping shifts on their fields, sets zone, shift, skills and languages, deactivates
// them; the admin log lists each of these changes.
test('an admin creates an engineer, sets their profile, deactivates them, and the admin log lists it all', async ({ browser }) => {
  const page = await newSignedInPage(browser, 'admin@caseboard.example');
  const email = `noor-${Date.now()}@caseboard.example`;

  await page.goto('/admin/people');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
  await expectAccessible(page);
  const form = page.getByRole('form', { name: 'New person' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('Noor Haddad');
  await form.getByLabel('First password').fill('a long passphrase');
  await form.getByLabel('Role').selectOption('engineer');
  await form.getByRole('button', { name: 'Create this person' }).click();
  await expect(page).toHaveURL(/\/admin\/people\/\d+$/);
  const id = page.url().match(/(\d+)$/)![1];
  await expect(page.getByRole('heading', { name: 'Noor Haddad', level: 1 })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  // An unknown zone: refused next to the field, nothing saved.
  await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('#person-zone-error')).toContainText('Time zone is not valid');
  await expect(page.getByLabel('Time zone')).toHaveAttribute('aria-invalid', 'true');

  // Zone, languages, skills, and a Monday–Friday 09:00–18:00 shift.
  await page.getByLabel('Time zone').fill('Asia/Shanghai');
  await page.getByLabel('Languages', { exact: true }).fill('zh, en');
  await page.getByLabel('Skills').fill('Kibana\nElasticsearch');
  const first = page.getByRole('group', { name: 'Shift 1' });
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await first.getByLabel(day).check();
  for (const day of ['Saturday', 'Sunday']) await first.getByLabel(day).uncheck();
  await first.getByLabel('Start').fill('09:00');
  await first.getByLabel('End').fill('18:00');

  // A second shift overlapping the first on Friday is refused on the shifts.
  await page.getByRole('button', { name: 'Add a shift' }).click();
  const second = page.getByRole('group', { name: 'Shift 2' });
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday']) await second.getByLabel(day).uncheck();
  await second.getByLabel('Start').fill('17:00');
  await second.getByLabel('End').fill('20:00');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('#person-shifts-error')).toContainText('overlap');
  await page.getByRole('button', { name: 'Remove shift 2' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('person-status')).toHaveText('Saved.');

  // Saved as typed: read again from the server.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('Time zone')).toHaveValue('Asia/Shanghai');
  await expect(page.getByLabel('Languages', { exact: true })).toHaveValue('zh, en');
  await expect(page.getByLabel('Skills')).toHaveValue('Kibana\nElasticsearch');
  await expect(page.getByRole('group', { name: 'Shift 1' }).getByLabel('Friday')).toBeChecked();
  await expect(page.getByRole('group', { name: 'Shift 1' }).getByLabel('Sunday')).not.toBeChecked();
  await expect(page.getByRole('group', { name: 'Shift 2' })).toHaveCount(0);

  // Deactivation asks first.
  await page.getByRole('button', { name: 'Deactivate…' }).click();
  await expect(page.getByText('Deactivate Noor Haddad?')).toBeVisible();
  await page.getByRole('button', { name: 'Deactivate Noor Haddad' }).click();
  await expect(page.getByTestId('person-status')).toContainText('Deactivated');
  await expect(page.getByText('This account is deactivated')).toBeVisible();

  // The people list finds them among the deactivated engineers (the filters are in the URL).
  await page.goto(`/admin/people?role=engineer&active=false&q=${encodeURIComponent(email)}`);
  await hydrated(page);
  await expect(page.getByRole('row', { name: /Noor Haddad/ })).toContainText('Deactivated');

  // The admin log, newest first: deactivated, updated, created.
  await page.goto('/admin/audit');
  await hydrated(page);
  await expectAccessible(page);
  const rows = page.locator('tr.audit-entry').filter({ hasText: `user:${id}` });
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('user.deactivated');
  await expect(rows.nth(1)).toContainText('user.updated');
  await expect(rows.nth(1)).toContainText('Asia/Shanghai');
  await expect(rows.nth(1)).toContainText('Kibana');
  await expect(rows.nth(2)).toContainText('user.created');
  await expect(rows.nth(2)).toContainText('Ada Admin');
});
