/**
 * Kubernetes' and Linux's naming rules, as data. Each rule is a list of tests run in order;
 * every failed test adds one message, as apimachinery's `Is…` functions return a list of
 * strings (k8s.io/apimachinery/pkg/util/validation/validation.go and
 * pkg/api/validate/content/{dns,kube}.go). The regex texts and messages are the ones the API
 * server prints, so a refusal reads like `kubectl apply`'s. check.ts interprets the tests.
 *
 * Lengths are counted in UTF-8 bytes: Go's `len(string)` and the kernel's `strlen` both count
 * bytes, whatever the messages say.
 */

/** The name of a rule (the keys of RULES, spelled out so that tests may name rules). */
export type RuleName =
  | 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'labelKey' | 'labelKeyPrefix' | 'labelKeyName' | 'labelValue'
  | 'portName' | 'ifName' | 'bridgeName';

/** One test of a rule. */
export type RuleTest =
  /** `MaxLenError`: more than `max` bytes. */
  | { readonly kind: 'maxBytes'; readonly max: number; readonly message?: string }
  /** `EmptyError`: the empty string; with `stop`, no further test runs on it. */
  | { readonly kind: 'nonEmpty'; readonly message: string; readonly stop?: true }
  /**
   * The whole value must match `format`. The message is `RegexError(message, format,
   * examples…)` unless `plain`. When the value fails but matches `instead.format`, the
   * message is `instead.message` (IsDNS1123Label's "must not contain dots").
   */
  | {
    readonly kind: 'whole'; readonly format: string; readonly message: string; readonly examples?: readonly string[];
    readonly plain?: true; readonly instead?: { readonly format: string; readonly message: string };
  }
  /** Some part of the value must match `pattern` (a JS regex source). */
  | { readonly kind: 'contains'; readonly pattern: string; readonly message: string }
  /** No part of the value may match `pattern`. */
  | { readonly kind: 'excludes'; readonly pattern: string; readonly message: string }
  /** No UTF-8 byte of the value may be one of `bytes` (the kernel tests bytes, not characters). */
  | { readonly kind: 'excludesBytes'; readonly bytes: readonly number[]; readonly message: string }
  /** The value may not be one of `names`, nor match `pattern` when given. */
  | { readonly kind: 'reserved'; readonly names: readonly string[]; readonly pattern?: string; readonly message: string }
  /**
   * IsQualifiedName / IsLabelKey: an optional `prefix/`, checked with rule `prefix` (each
   * message prefixed `prefix part `), and a name checked with rule `name` (`name part `);
   * more than one `/` gives `tooManyParts`.
   */
  | { readonly kind: 'qualified'; readonly prefix: RuleName; readonly name: RuleName; readonly tooManyParts: string };

/** A named rule: what upstream function it mirrors, and its tests. */
export interface Rule {
  /** The upstream function (or kernel function) whose rule this is. */
  readonly upstream: string;
  /** A one-line description for docs/scenario-format.md. */
  readonly summary: string;
  /** The diagnostic a refused value gets: a Kubernetes name, or a Linux device name. */
  readonly code: 'SCN_INVALID_NAME' | 'SCN_BAD_INTERFACE_NAME';
  readonly tests: readonly RuleTest[];
}

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const NON_EMPTY = 'must be non-empty';

/** Linux's IFNAMSIZ (16) less the terminating NUL. */
export const IFNAME_MAX_BYTES = 15;

/** The kernel's whitespace bytes (lib/ctype.c marks 9–13, 32 and 160 as `_S`) and NUL. */
const KERNEL_SPACE_BYTES = [0, 9, 10, 11, 12, 13, 32, 160];

/** IsDNS1123Subdomain's pattern test, shared with the label key prefix. */
const SUBDOMAIN_WHOLE = {
  kind: 'whole', format: DNS1123_SUBDOMAIN, examples: ['example.com'],
  message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
} as const;

/** Every rule, by name. */
export const RULES = {
  dns1123Subdomain: {
    upstream: 'IsDNS1123Subdomain',
    code: 'SCN_INVALID_NAME',
    summary: 'lowercase RFC 1123 subdomain: at most 253 characters of a-z, 0-9, - and ., alphanumeric at both ends',
    tests: [
      { kind: 'maxBytes', max: 253 },
      SUBDOMAIN_WHOLE,
    ],
  },
  dns1123Label: {
    upstream: 'IsDNS1123Label',
    code: 'SCN_INVALID_NAME',
    summary: 'lowercase RFC 1123 label: at most 63 characters of a-z, 0-9 and -, alphanumeric at both ends',
    tests: [
      { kind: 'maxBytes', max: 63 },
      {
        kind: 'whole', format: DNS1123_LABEL, examples: ['my-name', '123-abc'],
        message: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        instead: { format: DNS1123_SUBDOMAIN, message: 'must not contain dots' },
      },
    ],
  },
  dns1035Label: {
    upstream: 'IsDNS1035Label',
    code: 'SCN_INVALID_NAME',
    summary: 'DNS-1035 label: at most 63 characters of a-z, 0-9 and -, starting with a letter, ending alphanumeric',
    tests: [
      { kind: 'maxBytes', max: 63 },
      {
        kind: 'whole', format: DNS1035_LABEL, examples: ['my-name', 'abc-123'],
        message: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      },
    ],
  },
  labelKey: {
    upstream: 'IsQualifiedName (IsLabelKey)',
    code: 'SCN_INVALID_NAME',
    summary: 'qualified name: an optional DNS subdomain prefix and /, then a name of at most 63 characters of A-Z, a-z, 0-9, -, _ and ., alphanumeric at both ends',
    tests: [{
      kind: 'qualified', prefix: 'labelKeyPrefix', name: 'labelKeyName',
      tooManyParts: `a valid label key ${regexError(LABEL_KEY_MESSAGE, LABEL_KEY_NAME, ['MyName', 'my.name', '123-abc'])} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    }],
  },
  labelKeyPrefix: {
    upstream: 'IsQualifiedName, prefix part',
    code: 'SCN_INVALID_NAME',
    summary: 'the prefix of a qualified name: non-empty, then as dns1123Subdomain',
    tests: [{ kind: 'nonEmpty', message: NON_EMPTY, stop: true }, { kind: 'maxBytes', max: 253 }, SUBDOMAIN_WHOLE],
  },
  labelKeyName: {
    upstream: 'IsQualifiedName, name part',
    code: 'SCN_INVALID_NAME',
    summary: 'the name of a qualified name',
    tests: [
      { kind: 'nonEmpty', message: NON_EMPTY },
      { kind: 'maxBytes', max: 63 },
      { kind: 'whole', format: LABEL_KEY_NAME, message: LABEL_KEY_MESSAGE, examples: ['MyName', 'my.name', '123-abc'] },
    ],
  },
  labelValue: {
    upstream: 'IsValidLabelValue',
    code: 'SCN_INVALID_NAME',
    summary: 'label value: empty, or at most 63 characters of A-Z, a-z, 0-9, -, _ and ., alphanumeric at both ends',
    tests: [
      { kind: 'maxBytes', max: 63 },
      {
        kind: 'whole', format: `(${LABEL_KEY_NAME})?`, examples: ['MyValue', 'my_value', '12345'],
        message: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      },
    ],
  },
  portName: {
    upstream: 'IsValidPortName (IANA_SVC_NAME)',
    code: 'SCN_INVALID_NAME',
    summary: 'IANA service name: at most 15 characters of a-z, 0-9 and -, at least one letter, no - at either end or twice in a row',
    tests: [
      { kind: 'maxBytes', max: 15 },
      { kind: 'whole', format: '[-a-z0-9]+', plain: true, message: 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)' },
      { kind: 'contains', pattern: '[a-z]', message: 'must contain at least one letter (a-z)' },
      { kind: 'excludes', pattern: '--', message: 'must not contain consecutive hyphens' },
      { kind: 'excludes', pattern: '^-|-$', message: 'must not begin or end with a hyphen' },
    ],
  },
  ifName: {
    upstream: 'dev_valid_name (net/core/dev.c)',
    code: 'SCN_BAD_INTERFACE_NAME',
    summary: `Linux interface name: 1 to ${IFNAME_MAX_BYTES} bytes, not . or .., without /, : or whitespace`,
    tests: ifNameTests(),
  },
  bridgeName: {
    upstream: 'dev_valid_name, and a name no other device on the node has',
    code: 'SCN_BAD_INTERFACE_NAME',
    summary: 'as ifName, and not lo, eth0 or a host veth name (veth + 8 hex digits), which netsim gives other devices of the node',
    tests: [
      ...ifNameTests(),
      { kind: 'reserved', names: ['lo', 'eth0'], pattern: '^veth[0-9a-f]{8}$', message: 'is the name of another device on every node (lo, eth0, the pods\' vethXXXXXXXX)' },
    ],
  },
} as const satisfies Record<RuleName, Rule>;


function ifNameTests(): RuleTest[] {
  return [
    { kind: 'nonEmpty', message: 'must not be empty (the kernel refuses an empty interface name)', stop: true },
    { kind: 'maxBytes', max: IFNAME_MAX_BYTES, message: `must be no more than ${IFNAME_MAX_BYTES} bytes (IFNAMSIZ is 16 with the final NUL)` },
    { kind: 'reserved', names: ['.', '..'], message: 'must not be . or .. (it names a directory in /sys/class/net)' },
    { kind: 'excludes', pattern: '[/:]', message: "must not contain '/' or ':' (it would break /sys/class/net paths and `ip`'s dev:label syntax)" },
    { kind: 'excludesBytes', bytes: KERNEL_SPACE_BYTES, message: 'must not contain whitespace or NUL (the kernel tests each byte with isspace)' },
  ];
}

/** apimachinery's `RegexError`: the message, examples and the regex used. */
export function regexError(message: string, format: string, examples: readonly string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${format}')`;
}
