// Small helpers for driving the Mantine web apps with playwright-core, by label and role as a person would.
import type { Locator, Page } from 'playwright-core';

/**
 * An input by its label, exactly. Mantine appends " *" (hidden from screen readers) to required fields' labels, and
 * labels a select's list of options with the same label, hence the pattern and the filter.
 */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}( \\*)?$`)).and(scope.locator('input, textarea'));
}

/** Picks an option of a Mantine Select by the select's label. */
export async function pick(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Mantine draws switches over a visually hidden checkbox: click the input itself, as a keyboard user's space would. */
export async function switchOn(page: Page, name: string): Promise<void> {
  const input = page.getByRole('switch', { name });
  if (!(await input.isChecked())) await input.dispatchEvent('click');
  if (!(await input.isChecked())) throw new Error(`The switch "${name}" did not turn on.`);
}

/** Failed requests a scenario provokes on purpose show in the browser console; everything else is a failure. */
export function unexpectedErrors(errors: string[], expectedStatuses: readonly number[] = []): string[] {
  const expected = new RegExp(`Failed to load resource: the server responded with a status of (${expectedStatuses.join('|') || 'none'})`);
  return errors.filter((e) => !expected.test(e));
}
