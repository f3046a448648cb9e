import { test, expect, type Page } from '@playwright/test';
import { emailTo, expectAccessible, hydrated, newSignedInPage, outboxDir } from './helpers';

test('an organization admin says which contacts may open cases', async ({ browser }) => {
  const olga = await newSignedInPage(browser, 'olga@acme.example');
  await olga.getByRole('link', { name: 'Contacts' }).click();
  await expect(olga).toHaveURL(/\/organization\/contacts$/);
  await hydrated(olga);
  await expect(olga.getByTestId('seats')).toContainText('every contact');
  const alice = olga.getByRole('checkbox', { name: 'Alice Martin' });
  await expect(alice).toBeChecked();
  await expectAccessible(olga);
  // Each change is saved before the page is read again.
  await Promise.all([olga.waitForResponse(/set_case_opener/), alice.uncheck()]);
  await olga.reload();
  await hydrated(olga);
  await expect(olga.getByRole('checkbox', { name: 'Alice Martin' })).not.toBeChecked();
  await Promise.all([olga.waitForResponse(/set_case_opener/), olga.getByRole('checkbox', { name: 'Alice Martin' }).check()]);
  await olga.reload();
  await hydrated(olga);
  await expect(olga.getByRole('checkbox', { name: 'Alice Martin' })).toBeChecked();
});

test('an organization admin invites a contact, who chooses a password from the emailed link and is signed in', async ({ browser }) => {
  const olga = await newSignedInPage(browser, 'olga@acme.example');
  await olga.goto('/organization/contacts');
  await hydrated(olga);
  const email = `erin.${Date.now()}@acme.example`;
  await olga.getByLabel('Name', { exact: true }).fill('Erin <b>Lane</b>');
  await olga.getByLabel('Email', { exact: true }).fill(email);
  await olga.getByLabel('May open cases (takes one of the seats)').check();
  await olga.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(olga.getByRole('status').filter({ hasText: 'Invitation sent to' })).toContainText(email);
  await expect(olga.getByRole('checkbox', { name: 'Erin <b>Lane</b>' })).toBeChecked();
  await expectAccessible(olga);
  // The same address again: refused, the form keeps what was typed.
  await olga.getByLabel('Name', { exact: true }).fill('Erin Again');
  await olga.getByLabel('Email', { exact: true }).fill(email);
  await olga.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(olga.getByRole('alert').filter({ hasText: 'Email' })).toBeVisible();

  const mail = await emailTo(email);
  expect(mail).toContain('Olga Petrova');
  const link = mail.match(/\/invitation\/[0-9a-f]{64}/)![0];
  const erin = await (await browser.newContext()).newPage();
  await erin.goto(link);
  await hydrated(erin);
  await expect(erin.getByRole('heading', { name: 'Welcome to Caseboard' })).toBeVisible();
  await expectAccessible(erin);
  await erin.getByLabel('New password').fill('a long enough secret');
  await erin.getByLabel('The same password again').fill('a different secret!!');
  await erin.getByRole('button', { name: 'Choose this password and sign in' }).click();
  await expect(erin.getByRole('alert')).toHaveText('The two passwords differ.');
  await erin.getByLabel('The same password again').fill('a long enough secret');
  await erin.getByRole('button', { name: 'Choose this password and sign in' }).click();
  await expect(erin).toHaveURL(/\/cases$/);
  await expect(erin.getByRole('heading', { name: 'My cases' })).toBeVisible();

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await hydrated(again);
  await again.getByLabel('New password').fill('another long secret');
  await again.getByLabel('The same password again').fill('another long secret');
  await again.getByRole('button', { name: 'Choose this password and sign in' }).click();
  await expect(again.getByRole('alert')).toContainText('This invitation link has been used');
});

/** Every invitation link emailed to `to`, oldest first, once there are at least `count`. */
async function invitationLinks(to: string, count: number): Promise<string[]> {
  const fs = await import('node:fs');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const names = (fs.existsSync(outboxDir()) ? fs.readdirSync(outboxDir()) : [])
      .filter((name) => name.endsWith('-invitation.eml'))
      .sort();
    const links = names
      .map((name) => fs.readFileSync(`${outboxDir()}/${name}`, 'utf8').replace(/=\r?\n/g, ''))
      .filter((text) => text.includes(`To: ${to}`) || text.includes(`<${to}>`))
      .map((text) => text.match(/\/invitation\/[0-9a-f]{64}/)![0]);
    if (links.length >= count) return links;
    if (Date.now() > deadline) throw new Error(`${links.length} of ${count} invitations to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Olga on the contacts page, hydrated. */
async function contactsPage(browser: import('@playwright/test').Browser): Promise<Page> {
  const olga = await newSignedInPage(browser, 'olga@acme.example');
  await olga.goto('/organization/contacts');
  await hydrated(olga);
  return olga;
}

/** Invites `name` <`email`> from the page; waits for the confirmation. */
async function invite(page: Page, name: string, email: string) {
  const form = page.locator('form[aria-labelledby="invite-title"]');
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(form.getByRole('status')).toHaveText(`Invitation sent to ${email}.`);
}

/** The table row of the contact with `email`. */
function row(page: Page, email: string) {
  return page.locator('table.contacts tbody tr[data-contact]').filter({ hasText: email });
}

test('email settings: one labelled row with a hint per email, grouped, and each change says it is saved', async ({ browser }) => {
  const alice = await newSignedInPage(browser, 'alice@acme.example');
  await alice.goto('/settings/notifications');
  await hydrated(alice);
  const mine = alice.getByRole('group', { name: 'About my cases, email me when' });
  const organization = alice.getByRole('group', { name: "About my organization's cases, email me when" });
  await expect(mine.getByRole('checkbox')).toHaveCount(6);
  await expect(organization.getByRole('checkbox')).toHaveCount(1);
  await expect(alice.getByRole('checkbox')).toHaveCount(7);
  // Each switch is its own row: its label and its hint, nothing else.
  for (const box of await alice.getByRole('checkbox').all()) {
    const id = await box.getAttribute('id');
    const rowOf = alice.locator('.preference').filter({ has: alice.locator(`[id="${id}"]`) });
    await expect(rowOf.locator('label')).toHaveCount(1);
    await expect(rowOf.locator('label')).toHaveAttribute('for', id!);
    await expect(box).toHaveAccessibleDescription(/\S/);
  }
  const closed = mine.getByRole('checkbox', { name: 'my case is closed' });
  await expect(closed).toHaveAccessibleDescription('The case is over; a new problem needs a new case.');
  const boxes = await alice.locator('.preference').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().top));
  expect(new Set(boxes).size, 'one row each, not one paragraph').toBe(7);
  await expectAccessible(alice);

  const saved = alice.getByTestId('settings-saved');
  await closed.uncheck();
  await expect(saved).toHaveText('Saved. Off: my case is closed.');
  await expect(closed).toBeFocused();
  await closed.check();
  await expect(saved).toHaveText('Saved. On: my case is closed.');
  await alice.reload();
  await hydrated(alice);
  await expect(alice.getByRole('checkbox', { name: 'my case is closed' })).toBeChecked();
});

test('unticking a seat says so, and the earlier "Invitation sent" goes', async ({ browser }) => {
  const olga = await contactsPage(browser);
  const email = `jo.${Date.now()}@acme.example`;
  await invite(olga, 'Jo Park', email);
  const alice = olga.getByRole('checkbox', { name: 'Alice Martin' });
  await alice.uncheck();
  await expect(olga.getByTestId('contacts-feedback')).toHaveText('Alice Martin no longer holds a seat: they read and reply.');
  await expect(olga.getByText(`Invitation sent to ${email}.`)).toHaveCount(0);
  await expect(olga.getByRole('checkbox', { name: 'Alice Martin' })).not.toBeChecked();
  await olga.getByRole('checkbox', { name: 'Alice Martin' }).check();
  await expect(olga.getByTestId('contacts-feedback')).toHaveText('Alice Martin may now open cases.');
});

test('an organization admin edits a contact, is kept as the last admin, and removes a contact after confirming', async ({ browser }) => {
  const olga = await contactsPage(browser);
  await expect(olga.locator('table.contacts thead th')).toHaveText(['Name', 'Email', 'Role', 'May open cases', 'Status', 'Actions']);
  await expect(row(olga, 'olga@acme.example')).toContainText('Admin');
  await expect(row(olga, 'olga@acme.example')).toContainText('Active');

  // A typo in an address is refused where it is typed, clearly.
  const form = olga.locator('form[aria-labelledby="invite-title"]');
  await form.getByLabel('Name', { exact: true }).fill('Dan');
  await form.getByLabel('Email', { exact: true }).fill('dan@acme');
  await form.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(form.getByRole('alert')).toHaveText(/Enter a full email address, such as dana@acme\.example/);
  await expect(form.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  const email = `hana.${Date.now()}@acme.example`;
  await invite(olga, 'Hana', email);
  await expect(row(olga, email)).toContainText('Invited');

  // The last admin cannot step down: the form says why, and nothing changes.
  await olga.getByRole('button', { name: 'Edit Olga Petrova' }).click();
  const own = olga.locator('tr.editing form');
  await expect(own.getByLabel('Name', { exact: true })).toBeFocused();
  await own.getByLabel('Organization admin').uncheck();
  await own.getByRole('button', { name: 'Save' }).click();
  await expect(own.getByRole('alert')).toHaveText('Your organization needs at least one admin: make another contact admin first.');
  await own.getByRole('button', { name: 'Cancel' }).click();
  await expect(olga.locator('tr.editing')).toHaveCount(0);
  await expect(row(olga, 'olga@acme.example')).toContainText('Admin');

  // Edit: a new name and the admin role, saved together.
  await olga.getByRole('button', { name: 'Edit Hana' }).click();
  const edit = olga.locator('tr.editing form');
  await edit.getByLabel('Name', { exact: true }).fill('Hana Quinn');
  await edit.getByLabel('Organization admin').check();
  await expectAccessible(olga);
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(olga.getByTestId('contacts-feedback')).toHaveText('Saved: Hana Quinn.');
  await expect(olga.locator('tr.editing')).toHaveCount(0);
  await expect(row(olga, email)).toContainText('Hana Quinn');
  await expect(row(olga, email)).toContainText('Admin');

  // Remove: asked first; "Cancel" keeps them.
  await olga.getByRole('button', { name: 'Remove Hana Quinn' }).click();
  const confirm = olga.getByRole('group', { name: 'Remove Hana Quinn from your organization?' });
  await expect(confirm).toContainText('The cases they opened or answered stay');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectAccessible(olga);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(row(olga, email)).toHaveCount(1);
  await olga.getByRole('button', { name: 'Remove Hana Quinn' }).click();
  await olga.getByRole('group', { name: 'Remove Hana Quinn from your organization?' }).getByRole('button', { name: 'Remove Hana Quinn' }).click();
  await expect(olga.getByTestId('contacts-feedback')).toHaveText(`Hana Quinn (${email}) was removed from the organization.`);
  await expect(row(olga, email)).toHaveCount(0);
  await olga.reload();
  await hydrated(olga);
  await expect(row(olga, email)).toHaveCount(0);
});

test('an organization admin sends an invitation again and revokes it: the old links stop working', async ({ browser }) => {
  const olga = await contactsPage(browser);
  const email = `ivan.${Date.now()}@acme.example`;
  await invite(olga, 'Ivan Petit', email);
  const [first] = await invitationLinks(email, 1);

  await olga.getByRole('button', { name: 'Send a new invitation to Ivan Petit' }).click();
  await expect(olga.getByTestId('contacts-feedback')).toHaveText(
    `A new invitation was sent to ${email}; the earlier link no longer works.`,
  );
  await expect(olga.getByText(`Invitation sent to ${email}.`)).toHaveCount(0);
  const [, second] = await invitationLinks(email, 2);
  expect(second).not.toBe(first);

  await olga.getByRole('button', { name: 'Revoke invitation of Ivan Petit' }).click();
  await expect(olga.getByTestId('contacts-feedback')).toHaveText(`The invitation to ${email} is revoked: its link no longer works.`);
  await expect(row(olga, email)).toContainText('Invitation revoked');
  await expect(olga.getByRole('button', { name: 'Revoke invitation of Ivan Petit' })).toHaveCount(0);
  await expectAccessible(olga);

  for (const link of [first, second]) {
    const ivan = await (await browser.newContext()).newPage();
    await ivan.goto(link);
    await hydrated(ivan);
    await ivan.getByLabel('New password').fill('a long enough secret');
    await ivan.getByLabel('The same password again').fill('a long enough secret');
    await ivan.getByRole('button', { name: 'Choose this password and sign in' }).click();
    await expect(ivan.getByRole('alert')).toContainText('This invitation link has been used, has expired');
  }
});

test('whoever may not manage contacts sees only the refusal, no form', async ({ browser }) => {
  for (const email of ['alice@acme.example', 'sam@caseboard.example']) {
    const page = await newSignedInPage(browser, email);
    await page.goto('/organization/contacts');
    await hydrated(page);
    await expect(page.getByRole('alert')).toHaveText("Only your organization's admins manage its contacts. Ask one of them.");
    await expect(page.locator('main form')).toHaveCount(0);
    await expect(page.locator('main input, main button, main table')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Invite a contact' })).toHaveCount(0);
    await expectAccessible(page);
  }
});
