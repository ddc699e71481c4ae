/**
 * Layer `addr`: IP, CIDR and MAC values for both families. Imports nothing from netsim.
 * Invariants: values are plain data (structured-cloneable); formatting is canonical
 * (what iproute2 and iptables print); parsing never throws.
 */
export * from './ip.js';
export * from './cidr.js';
export * from './mac.js';
