import { test, expect } from '@playwright/test';
import { hydrated, newSignedInPage, openCaseByApi } from './helpers';

// A customer's summary that closes the page title and opens a script: an engineer's browser
// must show it as text and run nothing; the page runs only its own (nonce-carrying) scripts.
test('a hostile case summary runs no script in an engineer\'s browser, and the page still works', async ({ browser, request }) => {
  const summary = `Printer jam</title><script>alert(document.domain)</script><title> ${Date.now()}`;
  const number = await openCaseByApi(request, summary);
  const engineer = await newSignedInPage(browser, 'sam@caseboard.example');
  const dialogs: string[] = [];
  engineer.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const violations: string[] = [];
  engineer.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  for (let load = 0; load < 5; load++) {
    const response = await engineer.goto(`/cases/${number}`);
    expect(response!.headers()['content-security-policy']).toContain("'nonce-");
    await hydrated(engineer);
    await expect(engineer.getByRole('heading', { level: 1 })).toContainText('Printer jam</title><script>');
  }
  expect(await engineer.title()).toContain('</title><script>');
  expect(dialogs).toEqual([]);
  expect(violations).toEqual([]);
});
