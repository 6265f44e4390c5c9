import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Runs axe for WCAG 2.1 A and AA and fails on serious or critical violations, listing them. */
export async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  // A sandboxed frame (the newsletter's email preview) runs no script, axe's included: axe would wait for it
  // forever. Its content is the email, whose HTML the server builds from sanitised markdown.
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('iframe[sandbox]')
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) {
    console.error(
      `[${screen}] ${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
    );
  }
  expect(
    serious.map((v) => `${v.id} (${v.nodes.length})`),
    `axe violations on ${screen}`,
  ).toEqual([]);
}
