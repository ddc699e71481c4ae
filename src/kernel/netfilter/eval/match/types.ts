/** The shape every match family compiles to. */
import type { MatchSpec } from '../../rule.js';
import type { EvalCtx } from '../ctx.js';

/** A compiled match: true when the packet matches. May have effects (statistic, recent --set). */
export type Matcher = (c: EvalCtx) => boolean;

/** Compiles one `-m MODULE opts…` into a matcher (once per rule object). */
export type MatchCompiler = (spec: MatchSpec) => Matcher;

/** A matcher that is always true (`-m comment`, `-m limit`). */
export const ALWAYS: Matcher = () => true;
