import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage } from './helpers';

/** An iCalendar file with two public holidays, as a calendar application exports it. */
const TWO_HOLIDAYS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Caseboard end2end//EN',
  'BEGIN:VEVENT', 'UID:christmas-2027@e2e', 'DTSTART;VALUE=DATE:20271225', 'SUMMARY:Christmas', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:new-year-2028@e2e', 'DTSTART;VALUE=DATE:20280101', 'SUMMARY:New year', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');

test('an admin creates an organization, renames it, adds a product, imports holidays and deactivates it', async ({ browser }) => {
  const stamp = Date.now();
  const slug = `e2e-${stamp}`;
  const name = `E2E Analytics ${stamp}`;
  const admin = await newSignedInPage(browser, 'admin@caseboard.example');
  await admin.goto('/admin/organizations');
  await hydrated(admin);
  await expect(admin.getByRole('heading', { name: 'Organizations', level: 1 })).toBeVisible();
  await expectAccessible(admin);

  // Created on a preset plan; the same identifier again is refused beside its field.
  const create = admin.locator('form[aria-labelledby="new-org-title"]');
  await create.getByLabel('Identifier').fill(slug);
  await create.getByLabel('Name', { exact: true }).fill(name);
  await create.getByLabel('Support plan').selectOption('elastic-cloud-basic');
  await create.getByRole('button', { name: 'Create the organization' }).click();
  await expect(create.getByRole('status')).toContainText(`${name} was created.`);
  await create.getByRole('button', { name: 'Create the organization' }).click();
  await expect(admin.locator('#new-org-slug-error')).not.toBeEmpty();
  await expect(create.getByLabel('Identifier')).toHaveAttribute('aria-invalid', 'true');

  // Found by its identifier, with its plan, status and seats.
  await admin.getByLabel('Search by name or identifier').fill(slug);
  await admin.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(admin).toHaveURL(new RegExp(`\\?q=${slug}$`));
  const row = admin.locator(`tr[data-organization="${slug}"]`);
  await expect(row).toContainText('elastic-cloud-basic');
  await expect(row).toContainText('Active');
  await row.getByRole('link', { name }).click();
  await expect(admin).toHaveURL(new RegExp(`/admin/organizations/${slug}$`));
  await expect(admin.getByTestId('organization-name')).toHaveText(name);
  await expectAccessible(admin);

  // Renamed: a new identifier is a new address.
  const rename = admin.getByRole('region', { name: 'Name and identifier' });
  await rename.getByLabel('Name', { exact: true }).fill(`${name} Europe`);
  await rename.getByLabel('Identifier').fill(`${slug}-eu`);
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(admin).toHaveURL(new RegExp(`/admin/organizations/${slug}-eu$`));
  await expect(admin.getByTestId('organization-name')).toHaveText(`${name} Europe`);

  // A product with its versions, then its versions edited.
  const products = admin.getByRole('region', { name: 'Products' });
  await products.getByLabel('Product', { exact: true }).fill('Kibana');
  await products.getByLabel('Versions', { exact: true }).fill('9.1, 9.0, 8.19');
  await products.getByLabel('Supported major versions', { exact: true }).fill('2');
  await products.getByRole('button', { name: 'Add the product' }).click();
  const kibana = products.locator('tr[data-product="Kibana"]');
  await expect(kibana).toContainText('9.1, 9.0, 8.19');
  await kibana.getByRole('button', { name: 'Edit the versions of Kibana' }).click();
  const editing = products.locator('tr.editing');
  await editing.getByLabel('Versions', { exact: true }).fill('9.2, 9.1');
  await editing.getByLabel('Supported major versions', { exact: true }).fill('1');
  await editing.getByRole('button', { name: 'Save' }).click();
  await expect(products.getByTestId('product-saved')).toHaveText('Kibana saved.');
  await expect(kibana).toContainText('9.2, 9.1');
  await expect(products.locator('tr.editing')).toHaveCount(0);
  await expectAccessible(admin);

  // Two holidays from an iCalendar file, read in the browser.
  const holidays = admin.getByRole('region', { name: 'Public holidays' });
  await holidays.getByLabel('Import an iCalendar file (.ics)').setInputFiles({
    name: 'holidays.ics', mimeType: 'text/calendar', buffer: Buffer.from(TWO_HOLIDAYS),
  });
  await expect(holidays.getByTestId('holidays-outcome')).toHaveText('2 public holidays added.');
  await expect(holidays.getByTestId('holiday-count')).toHaveText('2 public holidays:');
  await expect(holidays.locator('time[datetime="2027-12-25"]')).toBeVisible();

  // Deactivated after a confirmation.
  const activity = admin.getByRole('region', { name: 'Activity' });
  await activity.getByRole('button', { name: 'Deactivate the organization' }).click();
  await expect(activity.getByRole('group')).toContainText(`Deactivate ${name} Europe?`);
  await activity.getByRole('button', { name: 'Yes, deactivate it' }).click();
  await expect(activity.getByRole('status')).toHaveText('The organization is deactivated.');
  await expect(admin.locator('dl.admin-facts')).toContainText('Deactivated');
  await expect(activity.getByRole('button', { name: 'Reactivate the organization' })).toBeVisible();
  await expectAccessible(admin);
});

test('a customer sees no organization admin page', async ({ browser }) => {
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/admin/organizations');
  await hydrated(alice);
  await expect(alice.getByRole('alert')).toHaveText('Only administrators can use these pages.');
  await expect(alice.getByRole('button', { name: 'Create the organization' })).toHaveCount(0);
});
