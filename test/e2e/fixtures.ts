import { test as base } from '@playwright/test';
import { startPreview, type PreviewProcess } from '../support/preview-process';

/** Every test gets its own preview: fresh data dir, private keychain namespace. */
export const test = base.extend<{ preview: PreviewProcess }>({
  preview: async ({}, use) => {
    const preview = await startPreview();
    await use(preview);
    await preview.stop();
  },
});

export { expect } from '@playwright/test';
