import { test, expect } from '@playwright/test';
import { currentStep, hydrated, newSignedInPage, nextStep } from './helpers';

// Issue #22, item 4: required fields are marked, an error goes as soon as the field is
// right, a step is "done" only when it is, and the hints do not repeat each other.

test('the wizard marks what is required and clears an error as soon as the field is right', async ({ browser }) => {
  const page = await newSignedInPage(browser, 'alice@acme.example');
  await page.goto('/cases/new');
  await hydrated(page);
  const progress = page.getByRole('navigation', { name: 'Progress' });

  // Step 1 with no product is not "done".
  await nextStep(page);
  await expect(progress.locator('li').first()).not.toHaveClass(/done/);
  await progress.getByRole('button', { name: '1. Request' }).click();
  await page.locator('#product').fill('Kibana');
  await nextStep(page);
  await expect(progress.locator('li').first()).toHaveClass(/done/);

  // Step 2: summary and description are marked required, visibly and for assistive tech.
  const summary = page.getByLabel('Summary', { exact: true });
  const description = page.getByLabel('Description', { exact: true });
  await expect(summary).toHaveAttribute('aria-required', 'true');
  await expect(description).toHaveAttribute('aria-required', 'true');
  await expect(currentStep(page).locator('label[for="summary"]')).toHaveClass(/required/);
  await expect(page.getByText('Fields marked with an asterisk are required.')).toBeVisible();
  // The description's hint does not ask for what the next fields ask for.
  await expect(page.locator('#description-hint')).not.toContainText('steps to reproduce');

  const alert = currentStep(page).getByRole('alert');
  await currentStep(page).getByRole('button', { name: 'Next' }).click();
  await expect(alert).toHaveText('Summary is required.');
  await expect(summary).toHaveAttribute('aria-invalid', 'true');
  // Typing the summary takes the error away at once, before any "Next".
  await summary.fill('Dashboard too slow');
  await expect(alert).toHaveText('');
  await expect(summary).not.toHaveAttribute('aria-invalid', 'true');
  await currentStep(page).getByRole('button', { name: 'Next' }).click();
  await expect(alert).toHaveText('Description is required.');
  await description.fill('It spins for 40 s.');
  await expect(alert).toHaveText('');
  await nextStep(page);

  // The impact is required for an Urgent case only, and marked so then.
  await nextStep(page);
  const impact = page.locator('label[for="impact"]');
  await expect(impact).not.toHaveClass(/required/);
  await progress.getByRole('button', { name: '3. Severity' }).click();
  await page.getByLabel('Severity', { exact: true }).selectOption('1');
  await nextStep(page);
  await expect(impact).toHaveClass(/required/);
  await expect(page.locator('#impact')).toHaveAttribute('aria-required', 'true');
});
