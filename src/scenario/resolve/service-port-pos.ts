/**
 * A Service port's `pos`, found when it is read. Every port of a Service carries the position
 * of its `spec.ports[]` entry, yet nothing but a later diagnostic would read it, and finding it
 * reads the Service's document a second time (positions are not kept on the fast reader's
 * bulk pass): a third of resolving 10,000 Services. The port keeps its field instead, and `pos`
 * is an enumerable accessor that asks for the position when read, so a spread, `JSON.stringify`,
 * `structuredClone` or `Object.keys` sees the same property with the same value as before.
 * Every port shares one getter, so ports of the same fields keep one hidden class in V8.
 */
import type { SourcePos } from '../../diag/diagnostic.js';
import { type Field, at } from '../reader.js';

const FIELDS = new WeakMap<object, Field>();

const POS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: object): SourcePos | undefined {
    const f = FIELDS.get(this);
    return f === undefined ? undefined : at(f);
  },
};

/** Gives `port` a `pos` property: the position of `field`'s value, found when read. */
export function definePortPos(port: object, field: Field): void {
  FIELDS.set(port, field);
  Object.defineProperty(port, 'pos', POS);
}
