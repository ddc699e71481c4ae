/**
 * The interpreter of rules.ts: the messages a value earns under a rule, in the order
 * apimachinery's `Is…` functions return them; none when the value is valid.
 */
import { assertNever } from '../../diag/diagnostic.js';
import { RULES, type RuleName, type RuleTest, regexError } from './rules.js';

const encoder = new TextEncoder();
/** Compiled patterns, by source: the rules are few, the names many. */
const compiled = new Map<string, RegExp>();
const compiledWhole = new Map<string, RegExp>();

/** The problems of `value` under `rule`; empty when it is valid. */
export function ruleProblems(rule: RuleName, value: string): string[] {
  // Most values obey: a check that builds no message lists first (a 5 MB scenario checks
  // hundreds of thousands of names and labels).
  return passes(rule, value) ? [] : allProblems(rule, value);
}

/** True when `value` passes every test of `rule`: {@link allProblems} is empty, without building it. */
function passes(rule: RuleName, value: string): boolean {
  return QUICK[rule](value);
}

/** A test as a predicate, its pattern compiled once (not looked up by its text on every check). */
type Quick = (value: string) => boolean;

/** Each rule's tests as one predicate: every test must pass, in order. */
const QUICK = Object.fromEntries(
  (Object.keys(RULES) as RuleName[]).map((name) => {
    const tests = (RULES[name].tests as readonly RuleTest[]).map(quickTest);
    const all: Quick = (value) => {
      for (let i = 0; i < tests.length; i++) if (!(tests[i] as Quick)(value)) return false;
      return true;
    };
    return [name, all];
  }),
) as Record<RuleName, Quick>;

function quickTest(test: RuleTest): Quick {
  switch (test.kind) {
    case 'nonEmpty':
      return (value) => value !== '';
    case 'maxBytes':
      return (value) => !longerThan(value, test.max);
    case 'whole': {
      const re = anchored(test.format);
      return (value) => re.test(value);
    }
    case 'contains': {
      const re = regex(test.pattern);
      return (value) => re.test(value);
    }
    case 'excludes': {
      const re = regex(test.pattern);
      return (value) => !re.test(value);
    }
    case 'excludesBytes':
      return (value) => !encoder.encode(value).some((b) => test.bytes.includes(b));
    case 'reserved': {
      const re = test.pattern === undefined ? undefined : regex(test.pattern);
      return (value) => !(test.names.includes(value) || (re !== undefined && re.test(value)));
    }
    case 'qualified':
      // `value.split('/')` without the array: more than one `/` fails, one splits prefix and name.
      return (value) => {
        const slash = value.indexOf('/');
        if (slash < 0) return passes(test.name, value);
        if (value.indexOf('/', slash + 1) >= 0) return false;
        return passes(test.prefix, value.slice(0, slash)) && passes(test.name, value.slice(slash + 1));
      };
    default:
      return assertNever(test, 'rule test');
  }
}

/** The problems of `value` under `rule`, in apimachinery's order, without the quick check first (property.test.ts compares the two). */
export function allProblems(rule: RuleName, value: string): string[] {
  const out: string[] = [];
  for (const test of RULES[rule].tests as readonly RuleTest[]) {
    if (test.kind === 'nonEmpty' && value === '') {
      out.push(test.message);
      if (test.stop === true) return out;
      continue;
    }
    out.push(...testProblems(test, value));
  }
  return out;
}

/** True when `value` passes every test of `rule`. */
export function obeys(rule: RuleName, value: string): boolean {
  return passes(rule, value);
}

function testProblems(test: RuleTest, value: string): string[] {
  switch (test.kind) {
    case 'nonEmpty':
      return [];
    case 'maxBytes':
      return longerThan(value, test.max) ? [test.message ?? `must be no more than ${test.max} characters`] : [];
    case 'whole':
      return wholeProblems(test, value);
    case 'contains':
      return regex(test.pattern).test(value) ? [] : [test.message];
    case 'excludes':
      return regex(test.pattern).test(value) ? [test.message] : [];
    case 'excludesBytes':
      return encoder.encode(value).some((b) => test.bytes.includes(b)) ? [test.message] : [];
    case 'reserved':
      return test.names.includes(value) || (test.pattern !== undefined && regex(test.pattern).test(value)) ? [test.message] : [];
    case 'qualified':
      return qualifiedProblems(test, value);
    default:
      return assertNever(test, 'rule test');
  }
}

function wholeProblems(test: Extract<RuleTest, { kind: 'whole' }>, value: string): string[] {
  if (anchored(test.format).test(value)) return [];
  if (test.instead !== undefined && anchored(test.instead.format).test(value)) return [test.instead.message];
  return [test.plain === true ? test.message : regexError(test.message, test.format, test.examples ?? [])];
}

/** IsQualifiedName: split on `/`, check the prefix and the name part by their own rules. */
function qualifiedProblems(test: Extract<RuleTest, { kind: 'qualified' }>, value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return [test.tooManyParts];
  const [first = '', second] = parts;
  const prefixed = second === undefined ? [] : ruleProblems(test.prefix, first).map((m) => `prefix part ${m}`);
  return [...prefixed, ...ruleProblems(test.name, second ?? first).map((m) => `name part ${m}`)];
}

/**
 * The format as a whole-string JS regex. Go's RE2 and JS agree on these formats (character
 * classes, groups, `?` and `*`); the `u` flag makes `.`-free classes see code points, as RE2
 * sees runes.
 */
function anchored(format: string): RegExp {
  let re = compiledWhole.get(format);
  if (re === undefined) {
    re = regex(`^(?:${format})$`);
    compiledWhole.set(format, re);
  }
  return re;
}

/** More than `max` UTF-8 bytes? At most max/3 UTF-16 units cannot be, so is not encoded. */
function longerThan(value: string, max: number): boolean {
  return value.length * 3 > max && encoder.encode(value).length > max;
}

function regex(source: string): RegExp {
  let re = compiled.get(source);
  if (re === undefined) {
    re = new RegExp(source, 'u');
    compiled.set(source, re);
  }
  return re;
}
