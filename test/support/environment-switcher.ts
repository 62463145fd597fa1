import type { Page } from 'playwright-core';

/** The open switcher's panel (a Material overlay, outside the header). */
const PANEL = '.vg-environment-panel';

async function open(page: Page): Promise<void> {
  await page.locator('[data-testid=environment-select]').click();
  await page.locator(`${PANEL} [data-testid=environment-choice]`).first().waitFor({ timeout: 5_000 });
}

/** The header switcher's options as shown ("All environments", then names); leaves it closed. */
export async function environmentChoices(page: Page): Promise<string[]> {
  await open(page);
  const texts = await page.locator(`${PANEL} [data-testid=environment-choice]`).allTextContents();
  await page.keyboard.press('Escape');
  await page.locator(PANEL).waitFor({ state: 'detached', timeout: 5_000 });
  return texts.map((text) => text.trim());
}

/** Picks an environment in the header switcher (undefined: "All environments"). */
export async function chooseEnvironment(page: Page, environment: string | undefined): Promise<void> {
  await open(page);
  await page.locator(`${PANEL} [data-testid=environment-choice][data-environment="${environment ?? ''}"]`).click();
  await page.locator(PANEL).waitFor({ state: 'detached', timeout: 5_000 });
}
