/** Typed DOM queries on a fixture (ComponentFixture types its `nativeElement` as `any`). */

/** The fixture's root element. */
export function rootOf(fixture: { nativeElement: unknown }): HTMLElement {
  return fixture.nativeElement as HTMLElement;
}

/** The first element under the fixture's root matching `selector`, or null. */
export function queryIn(fixture: { nativeElement: unknown }, selector: string): HTMLElement | null {
  return rootOf(fixture).querySelector<HTMLElement>(selector);
}

/** Every element under the fixture's root matching `selector`, in document order. */
export function queryAllIn(fixture: { nativeElement: unknown }, selector: string): HTMLElement[] {
  return Array.from(rootOf(fixture).querySelectorAll<HTMLElement>(selector));
}
