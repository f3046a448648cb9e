import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, newSignedInPage } from './helpers';

test('an organization admin says which contacts may open cases', async ({ browser }) => {
  const olga = await newSignedInPage(browser, 'olga@acme.example');
  await olga.getByRole('link', { name: 'Contacts' }).click();
  await expect(olga).toHaveURL(/\/organization\/contacts$/);
  await hydrated(olga);
  await expect(olga.getByTestId('seats')).toContainText('every contact');
  const alice = olga.getByRole('checkbox', { name: 'Alice Martin' });
  await expect(alice).toBeChecked();
  await expectAccessible(olga);
  await alice.uncheck();
  await olga.reload();
  await hydrated(olga);
  await expect(olga.getByRole('checkbox', { name: 'Alice Martin' })).not.toBeChecked();
  await olga.getByRole('checkbox', { name: 'Alice Martin' }).check();
  await olga.reload();
  await hydrated(olga);
  await expect(olga.getByRole('checkbox', { name: 'Alice Martin' })).toBeChecked();
});
