import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The server runs on a fresh temporary
// database with the demo data (see serve.sh); a second one, on the next port, on an empty
// database with only the admin's variables (a new team's first start: new-team.spec.ts,
// which reads its address from helpers.ts `emptyServerURL`).
const port = Number(process.env.CASEBOARD_E2E_PORT ?? 3100);
const emptyPort = port + 1;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: `bash ./serve.sh ${port}`,
      url: `http://127.0.0.1:${port}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `bash ./serve.sh ${emptyPort} --empty`,
      url: `http://127.0.0.1:${emptyPort}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
