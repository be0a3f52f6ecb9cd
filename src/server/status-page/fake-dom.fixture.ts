// Test-only: a tiny document implementing the structural DOM types of `dom.ts`, so the render functions run in
// Node. Like those types it has no HTML parser at all: what a render function builds is exactly the tree here.
import type { PageDocument, PageElement, PageEvent, PageNode } from './dom.ts';

/** A text node. */
export class FakeText implements PageNode {
  textContent: string | null;
  parent: FakeElement | undefined;

  constructor(text: string) {
    this.textContent = text;
  }
}

type FakeNode = FakeElement | FakeText;

/**
 * An element: tag, attributes, children, listeners. Selectors: compounds of `tag`, `.class`, `[attr]`, `[attr="v"]`,
 * joined by the descendant combinator (a space).
 */
export class FakeElement implements PageElement {
  readonly tagName: string;
  hidden = false;
  children: FakeNode[] = [];
  parent: FakeElement | undefined;
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Array<(event: PageEvent) => void>>();
  readonly classList = {
    toggle: (name: string, force?: boolean): boolean => {
      const set = new Set((this.getAttribute('class') ?? '').split(/\s+/).filter((c) => c !== ''));
      const on = force ?? !set.has(name);
      if (on) set.add(name);
      else set.delete(name);
      this.setAttribute('class', [...set].join(' '));
      return on;
    },
    contains: (name: string): boolean => (this.getAttribute('class') ?? '').split(/\s+/).includes(name),
  };

  constructor(tag: string) {
    this.tagName = tag.toUpperCase();
  }

  get textContent(): string {
    return this.children.map((c) => c.textContent ?? '').join('');
  }

  set textContent(text: string | null) {
    this.replaceChildren(new FakeText(text ?? ''));
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  append(...nodes: Array<PageNode | string>): void {
    for (const n of nodes) {
      const node = typeof n === 'string' ? new FakeText(n) : (n as FakeNode);
      node.parent = this;
      this.children.push(node);
    }
  }

  replaceChildren(...nodes: Array<PageNode | string>): void {
    this.children = [];
    this.append(...nodes);
  }

  after(...nodes: PageNode[]): void {
    const parent = this.parent;
    if (parent === undefined) throw new Error('after() on a detached element');
    const at = parent.children.indexOf(this) + 1;
    for (const n of nodes) (n as FakeNode).parent = parent;
    parent.children.splice(at, 0, ...(nodes as FakeNode[]));
  }

  addEventListener(type: string, listener: (event: PageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  matches(selector: string): boolean {
    const parts = selector.trim().split(/\s+/);
    const last = parts.pop() ?? '';
    if (!this.#matchesCompound(last)) return false;
    let el = this.parent;
    for (const part of parts.reverse()) {
      while (el !== undefined && !el.#matchesCompound(part)) el = el.parent;
      if (el === undefined) return false;
      el = el.parent;
    }
    return true;
  }

  #matchesCompound(selector: string): boolean {
    const m = /^([a-z0-9]*)((?:\.[\w-]+)*)((?:\[[\w-]+(?:="[^"]*")?\])*)$/i.exec(selector);
    if (m === null) throw new Error(`fake DOM: unsupported selector ${selector}`);
    const [, tag = '', classes = '', attrs = ''] = m;
    if (tag !== '' && tag.toUpperCase() !== this.tagName) return false;
    for (const c of classes.split('.').filter((x) => x !== '')) if (!this.classList.contains(c)) return false;
    for (const a of attrs.matchAll(/\[([\w-]+)(?:="([^"]*)")?\]/g)) {
      const value = this.getAttribute(a[1] ?? '');
      if (value === null || (a[2] !== undefined && value !== a[2])) return false;
    }
    return true;
  }

  closest(selector: string): FakeElement | null {
    for (let el: FakeElement | undefined = this; el !== undefined; el = el.parent) if (el.matches(selector)) return el;
    return null;
  }

  querySelectorAll(selector: string): FakeElement[] {
    const out: FakeElement[] = [];
    const walk = (el: FakeElement): void => {
      for (const c of el.children) {
        if (!(c instanceof FakeElement)) continue;
        if (c.matches(selector)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }

  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  focus(): void {}
}

/** A document creating {@link FakeElement}s. */
export function fakeDocument(): PageDocument & { createElement(tag: string): FakeElement } {
  return {
    createElement: (tag) => new FakeElement(tag),
    createTextNode: (text) => new FakeText(text),
    getElementById: () => null,
    hidden: false,
    activeElement: null,
    title: '',
    addEventListener: () => {},
  };
}

/** Every element of `root`'s tree whose tag is `tag` (lower case). */
export function elementsByTag(root: FakeElement, tag: string): FakeElement[] {
  return root.querySelectorAll(tag);
}
