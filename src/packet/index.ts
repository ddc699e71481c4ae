/**
 * Layer `packet`: immutable packet values (IP and L4 headers, encapsulation stack), flows,
 * `reply()` and their JSON shape. Imports only `addr`. Invariant: nothing here mutates; every change returns a new value.
 */
export * from './packet.js';
export * from './flow.js';
export * from './build.js';
export * from './json.js';
