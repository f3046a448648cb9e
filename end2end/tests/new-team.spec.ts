import { test, expect, type Browser, type Page } from '@playwright/test';
import { currentStep, emptyServerURL, expectAccessible, hydrated, NEW_TEAM_ADMIN, nextStep } from './helpers';

// Issue #16's "done means", in the browser: a new team starts on an EMPTY database (the second
// server of playwright.config.ts: no demo data, only CASEBOARD_ADMIN_EMAIL/PASSWORD). The admin
// follows the first-run checklist: two organizations (one runs Kibana, only 9.x supported),
// three engineers in three zones whose shifts share out the day (follow the sun), an
// organization admin, a customer. The customer opens a case on Kibana 8.19: the wizard warns
// the version is unsupported, and the engineer on shift now is given the case.
test.use({ baseURL: emptyServerURL() });

const CUSTOMER_PASSWORD = 'a long passphrase';

/** Each engineer covers eight hours of the UTC day, every day: exactly one is on shift. */
const TEAM = [
  { email: 'mei@newteam.example', name: 'Mei Chen', zone: 'Asia/Shanghai', utcStart: 0, languages: 'zh, en' },
  { email: 'lea@newteam.example', name: 'Léa Martin', zone: 'Europe/Paris', utcStart: 8, languages: 'fr, en' },
  { email: 'sam@newteam.example', name: 'Sam Carter', zone: 'America/New_York', utcStart: 16, languages: 'en, es' },
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The zone's offset from UTC now, in hours ("GMT+8" → 8): shifts are kept in civil
 *  times, so they are computed at the test's run time (summer time included). */
function offsetHours(zone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
    .formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  const match = name.match(/GMT([+-]\d+)?/)!;
  return match[1] ? Number(match[1]) : 0;
}

/** The civil start and end ("HH:MM") in `zone` of the eight UTC hours from `utcStart`. */
function civilShift(zone: string, utcStart: number, at: Date): [string, string] {
  const start = (((utcStart + offsetHours(zone, at)) % 24) + 24) % 24;
  expect(start + 8, `${zone}: the shift must not cross midnight`).toBeLessThanOrEqual(24);
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return [hh(start), hh(start + 8)];
}

/** Who is on shift at `at`. */
function onShiftAt(at: Date) {
  return TEAM[Math.floor(at.getUTCHours() / 8)];
}

/** Waits past a change of shift (00, 08, 16 UTC) under a minute away. */
async function awayFromAShiftChange() {
  const now = new Date();
  const secondsToNext = (8 - (now.getUTCHours() % 8)) * 3600 - now.getUTCMinutes() * 60 - now.getUTCSeconds();
  if (secondsToNext < 60) await new Promise((r) => setTimeout(r, (secondsToNext + 2) * 1000));
}

async function signedIn(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: emptyServerURL() });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  return page;
}

async function createOrganization(admin: Page, slug: string, name: string, plan: string) {
  const create = admin.locator('form[aria-labelledby="new-org-title"]');
  await create.getByLabel('Identifier').fill(slug);
  await create.getByLabel('Name', { exact: true }).fill(name);
  await create.getByLabel('Support plan').selectOption(plan);
  await create.getByRole('button', { name: 'Create the organization' }).click();
  await expect(create.getByRole('status')).toContainText(`${name} was created.`);
}

/** Creates a person on /admin/people; their page opens. */
async function createPerson(admin: Page, person: { email: string, name: string, password: string, role: string,
  organization?: string, orgAdmin?: boolean }) {
  await admin.goto('/admin/people');
  await hydrated(admin);
  const form = admin.getByRole('form', { name: 'New person' });
  await form.getByLabel('Email').fill(person.email);
  await form.getByLabel('Name').fill(person.name);
  await form.getByLabel('First password').fill(person.password);
  await form.getByLabel('Role').selectOption(person.role);
  if (person.organization) await form.getByLabel('Organization (identifier)').fill(person.organization);
  if (person.orgAdmin) await form.getByLabel('Organization admin').check();
  await form.getByRole('button', { name: 'Create this person' }).click();
  await expect(admin).toHaveURL(/\/admin\/people\/\d+$/);
  await expect(admin.getByRole('heading', { name: person.name, level: 1 })).toBeVisible();
  await hydrated(admin);
}

test('a new team sets up Caseboard in the browser; a customer case follows the sun and warns of an unsupported version', async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await signedIn(browser, NEW_TEAM_ADMIN.email, NEW_TEAM_ADMIN.password);

  // The first-run checklist on the home page: nothing done yet.
  await admin.goto('/');
  await hydrated(admin);
  const checklist = admin.getByTestId('first-run');
  await expect(checklist.getByRole('heading', { name: 'Setting up Caseboard' })).toBeVisible();
  await expect(checklist.locator('li.step.done')).toHaveCount(0);
  await expectAccessible(admin);
  await admin.goto('/admin');
  await hydrated(admin);
  await expectAccessible(admin);

  // Two organizations on two preset plans; nobody else's data is there.
  await admin.goto('/admin/organizations');
  await hydrated(admin);
  await expect(admin.locator('tr[data-organization]')).toHaveCount(0);
  await expectAccessible(admin);
  await createOrganization(admin, 'initrode', 'Initrode', 'elastic-cloud-basic');
  await createOrganization(admin, 'umbrella', 'Umbrella', 'elastic-cloud-premium');
  await admin.goto('/admin/organizations');
  await hydrated(admin);
  await expect(admin.locator('tr[data-organization]')).toHaveCount(2);
  await expect(admin.locator('tr[data-organization="umbrella"]')).toContainText('elastic-cloud-premium');

  // Initrode runs Kibana: 9.1, 9.0 and 8.19, only the newest major supported.
  await admin.goto('/admin/organizations/initrode');
  await hydrated(admin);
  const products = admin.getByRole('region', { name: 'Products' });
  await products.getByLabel('Product', { exact: true }).fill('Kibana');
  await products.getByLabel('Versions', { exact: true }).fill('9.1, 9.0, 8.19');
  await products.getByLabel('Supported major versions', { exact: true }).fill('1');
  await products.getByRole('button', { name: 'Add the product' }).click();
  await expect(products.locator('tr[data-product="Kibana"]')).toContainText('9.1, 9.0, 8.19');
  await expectAccessible(admin);

  await admin.goto('/admin/plans');
  await hydrated(admin);
  await expectAccessible(admin);

  // Three engineers, three zones; every day, eight hours each of the UTC day.
  const now = new Date();
  for (const engineer of TEAM) {
    await createPerson(admin, { ...engineer, password: CUSTOMER_PASSWORD, role: 'engineer' });
    await admin.getByLabel('Time zone').fill(engineer.zone);
    await admin.getByLabel('Languages', { exact: true }).fill(engineer.languages);
    await admin.getByLabel('Skills').fill('Kibana');
    const shift = admin.getByRole('group', { name: 'Shift 1' });
    for (const day of DAYS) await shift.getByLabel(day).check();
    const [start, end] = civilShift(engineer.zone, engineer.utcStart, now);
    await shift.getByLabel('Start').fill(start);
    await shift.getByLabel('End').fill(end);
    await admin.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(admin.getByTestId('person-status')).toHaveText('Saved.');
    await expectAccessible(admin);
  }

  // Initrode's organization admin, and a customer of Initrode with a password.
  await createPerson(admin, { email: 'olga@initrode.example', name: 'Olga Petrova', password: CUSTOMER_PASSWORD,
    role: 'customer', organization: 'initrode', orgAdmin: true });
  await expect(admin.getByLabel('Organization admin')).toBeChecked();
  await expectAccessible(admin);
  await createPerson(admin, { email: 'carl@initrode.example', name: 'Carl Jensen', password: CUSTOMER_PASSWORD,
    role: 'customer', organization: 'initrode' });

  await admin.goto('/admin/people?role=engineer');
  await hydrated(admin);
  for (const engineer of TEAM) await expect(admin.getByRole('row', { name: new RegExp(engineer.name) })).toBeVisible();
  await expectAccessible(admin);

  // The checklist's needed steps are done: the home page no longer shows it.
  await admin.goto('/');
  await hydrated(admin);
  await expect(admin.getByTestId('first-run')).toHaveCount(0);

  // The organization admin sees Initrode's contacts.
  const olga = await signedIn(browser, 'olga@initrode.example', CUSTOMER_PASSWORD);
  await olga.goto('/organization/contacts');
  await hydrated(olga);
  await expect(olga.getByText('carl@initrode.example')).toBeVisible();

  // The customer opens a case on Kibana 8.19 through the wizard: warned first.
  const carl = await signedIn(browser, 'carl@initrode.example', CUSTOMER_PASSWORD);
  await carl.goto('/cases/new');
  await hydrated(carl);
  await expect(carl.getByRole('heading', { name: 'Step 1: Request and product' })).toBeVisible();
  await carl.getByLabel('Product', { exact: true }).fill('Kibana');
  await carl.getByLabel('Version', { exact: true }).fill('8.19');
  await expect(carl.getByTestId('version-warning')).toContainText('Kibana 8.19 is no longer supported');
  await expect(carl.getByTestId('version-warning')).toContainText('upgrade to 9.1');
  await expectAccessible(carl);
  await nextStep(carl);
  const summary = `Dashboards blank after the upgrade ${Date.now()}`;
  await carl.getByLabel('Summary', { exact: true }).fill(summary);
  await carl.getByLabel('Description', { exact: true }).fill('Every dashboard is blank since this morning.');
  for (let step = 2; step < 6; step++) await nextStep(carl);
  await expect(currentStep(carl).getByTestId('review-summary')).toHaveText(summary);
  await awayFromAShiftChange();
  const openedAt = new Date();
  await carl.getByRole('button', { name: 'Open the case' }).click();
  await expect(carl).toHaveURL(/\/cases\/\d+\?opened=1$/);
  const number = carl.url().match(/\/cases\/(\d+)/)![1];

  // Follow the sun: the one engineer on shift now has it; support reads why.
  const expected = onShiftAt(openedAt);
  await expect(carl.getByTestId('assignee')).toHaveText(expected.name);
  await admin.goto(`/cases/${number}`);
  await hydrated(admin);
  await expect(admin.getByTestId('assignee')).toHaveText(expected.name);
  await expect(admin.getByTestId('assign-reason')).toContainText(`on shift (${expected.zone})`);
  await expect(admin.getByTestId('assign-reason')).toContainText('knows Kibana');
  const engineer = await signedIn(browser, expected.email, CUSTOMER_PASSWORD);
  await engineer.goto('/board');
  await hydrated(engineer);
  await expect(engineer.locator(`li.card[data-case="${number}"]`).getByTestId('assignee')).toHaveText(expected.name);

  // The admin log has it all.
  await admin.goto('/admin/audit');
  await hydrated(admin);
  await expect(admin.locator('tr.audit-entry').filter({ hasText: 'organization.created' })).toHaveCount(2);
  for (const email of ['mei@newteam.example', 'olga@initrode.example', 'carl@initrode.example']) {
    await expect(admin.locator('tr.audit-entry').filter({ hasText: 'user.created' }).filter({ hasText: email })).toHaveCount(1);
  }
  await expectAccessible(admin);
});
