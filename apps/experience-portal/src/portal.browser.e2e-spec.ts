import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PortalLandscape, type OrderBody } from '../test/portal-fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const WEB = join(ROOT, 'dist', 'apps', 'experience-portal', 'web');
/** Debian's chromium (apt-get install chromium); no browser download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT = join(ROOT, 'test-results', 'portal-overview.png');

/**
 * The finance portal's web UI in headless Chromium against every app on loopback: sign in with the
 * development issuer, see the overview with real data (saved as a screenshot), and retry an
 * exception by clicking.
 */
describe('finance portal web UI (headless Chromium)', () => {
  let p: PortalLandscape;
  let browser: Browser;
  let page: Page;
  let parked: { orderId: string; product: Awaited<ReturnType<PortalLandscape['l']['product']>> };

  beforeAll(async () => {
    // The UI as `npm run build` makes it (about a second).
    execFileSync('npm', ['run', '-s', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
    p = await PortalLandscape.start({ PORTAL_WEB_DIR: WEB });
    await p.completedOrder();
    // An order parked on an unmapped product: an open exception for the overview and the workbench.
    const product = await p.l.product({ mapped: false });
    const deal = await p.l.closedWonDeal(product);
    const started = await p.l.ok<OrderBody>('q2c', 'POST', 'orders', {
      opportunityId: deal.opportunityId,
    });
    await p.l.waitFor(started.id, (o) => o.status === 'needs_attention');
    parked = { orderId: started.id, product };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Root in CI containers has no user namespaces for Chromium's sandbox.
      args: ['--no-sandbox'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  }, 240_000);
  afterAll(async () => {
    await browser.close();
    await p.close();
  });

  it('signs in with the development issuer and renders the overview with real data', async () => {
    await page.goto(`${p.portal.url}/`);
    await page.getByLabel('Client id').fill('revgate-dev');
    await page.getByLabel('Client secret').fill('revgate-dev-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const completed = page.getByTestId('tile-Orders completed (24 h)');
    await completed.waitFor();
    expect(Number(await completed.locator('.tile-value').textContent())).toBeGreaterThanOrEqual(1);
    const open = page.getByTestId('tile-Open exceptions');
    expect(await open.locator('.tile-value').textContent()).toBe('1');
    // Three charts drawn by Chart.js, and the breakers table from the apps' metrics.
    await page.locator('figure canvas').nth(2).waitFor();
    expect(await page.locator('figure canvas').count()).toBe(3);
    await page.getByRole('cell', { name: 'process-quote-to-cash' }).first().waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('retries an exception by clicking, once its cause is fixed; the action is audited', async () => {
    const { product, orderId } = parked;
    await page.goto(`${p.portal.url}/#/exceptions?status=open&code=Q2C_PRODUCT_UNMAPPED`);
    await page.getByRole('link', { name: 'Q2C_PRODUCT_UNMAPPED' }).first().click();
    await page.getByText('What to fix').waitFor();
    expect(
      await page.getByRole('button', { name: 'Retry from the failed step' }).isDisabled(),
    ).toBe(true);

    await p.l.ok('q2c', 'POST', 'product-mappings', {
      crmProductId: product.crmProductId,
      currency: 'USD',
      billingPriceId: product.priceId,
      erpItemCode: product.erpItem,
    });
    await page.getByLabel('Reason (kept in the audit log)').fill('Mapped in q2c, ticket FIN-9');
    await page.getByRole('button', { name: 'Retry from the failed step' }).click();
    await page.getByText('Retried: the exception is now retried.').waitFor();
    await page.getByText('revgate-dev', { exact: true }).first().waitFor();
    const order = await p.l.waitFor(orderId, (o) => o.status === 'completed');
    expect(order.actions.map((a) => a.reason)).toContain(
      'Mapped in q2c, ticket FIN-9 (by revgate-dev, in the portal)',
    );
  });
});
