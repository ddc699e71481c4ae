/**
 * The validation layer: Kubernetes' published naming and range rules, and Linux's device
 * name rules, as data (rules.ts, uses.ts), interpreted by check.ts and applied to located
 * fields by apply.ts. The readers in src/scenario call apply.ts; nothing else decides whether
 * a name or number is acceptable. Imports only the scenario reader and diag.
 */
export { checkAnnotations, checkText, optIntField, optLabels, optListField, optText, quoted } from './apply.js';
export { checkEndpointIp } from './addresses.js';
export { obeys, ruleProblems } from './check.js';
export { IFNAME_MAX_BYTES, RULES, type RuleName } from './rules.js';
export { ANNOTATIONS_MAX_BYTES, INT_FIELDS, type IntField, LIST_FIELDS, type ListField, TEXT_FIELDS, type TextField } from './uses.js';
export { ruleSchema, textFieldSchema } from './schema.js';
