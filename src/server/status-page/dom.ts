/**
 * The few browser APIs the page's script uses, declared structurally. The project compiles without the DOM
 * library (it would change globals such as `fetch` for all of Node's code), so the script receives the window as
 * a parameter typed with these interfaces. They deliberately leave out every HTML sink (`innerHTML`,
 * `outerHTML`, `insertAdjacentHTML`, `document.write`): text from the cluster can only ever become a text node
 * or an attribute value, and the type checker refuses anything else.
 */

/** A node: an element or a text node. */
export interface PageNode {
  textContent: string | null;
}

/** The element operations the page uses. */
export interface PageElement extends PageNode {
  hidden: boolean;
  readonly tagName: string;
  readonly classList: { toggle(name: string, force?: boolean): boolean; contains(name: string): boolean };
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  append(...nodes: Array<PageNode | string>): void;
  replaceChildren(...nodes: Array<PageNode | string>): void;
  /** Inserts `nodes` right after this element (moving nodes would take the focus away). */
  after(...nodes: PageNode[]): void;
  addEventListener(type: string, listener: (event: PageEvent) => void): void;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  focus(): void;
}

/** The `<input>` of the filter box. */
export interface PageInput extends PageElement {
  value: string;
}

/** An event as the handlers read it. */
export interface PageEvent {
  readonly target: unknown;
  readonly key?: string | undefined;
  preventDefault(): void;
}

/** `document`. */
export interface PageDocument {
  createElement(tag: string): PageElement;
  createTextNode(text: string): PageNode;
  getElementById(id: string): PageElement | null;
  readonly hidden: boolean;
  readonly activeElement: unknown;
  title: string;
  addEventListener(type: string, listener: (event: PageEvent) => void): void;
}

/** The answer of `fetch`. */
export interface PageResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  text(): Promise<string>;
}

/** `window`. */
export interface PageWindow {
  readonly document: PageDocument;
  readonly location: { readonly hash: string; readonly pathname: string; readonly search: string };
  readonly history: { replaceState(data: unknown, unused: string, url: string): void };
  readonly navigator: { readonly clipboard?: { writeText(text: string): Promise<void> } | undefined };
  fetch(url: string, init: { cache: 'no-store'; headers: Record<string, string>; signal?: AbortSignal }): Promise<PageResponse>;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number | undefined): void;
  addEventListener(type: string, listener: () => void): void;
  getSelection(): { toString(): string } | null;
}
