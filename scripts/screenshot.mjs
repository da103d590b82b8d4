/**
 * Takes the README's screenshot from the preview in Debian's Chromium:
 *   node scripts/screenshot.mjs URL [out.png] [width] [height]
 */
import { chromium } from '@playwright/test';

const [url, out = 'docs/screenshot.png', width = '1280', height = '800'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.GAIA_CHROMIUM ?? '/usr/bin/chromium', args: ['--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) }, colorScheme: 'light' });
await page.goto(url);
await page.waitForTimeout(1000);
await page.screenshot({ path: out });
await browser.close();
console.log(`wrote ${out}`);
