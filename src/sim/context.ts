/**
 * Injected time and randomness (conventions: "time and randomness are injected, so the same
 * scenario and seed give byte-identical output"). Nothing in netsim reads a clock or
 * Math.random; everything that needs either takes a SimContext.
 */

/** A seeded pseudo-random generator (mulberry32): same seed, same sequence. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
}

/** Creates the deterministic generator for a seed. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * Decides random outcomes (`-m statistic --mode random`, flooding order is not random).
 * `choose` is given the probabilities of the outcomes (summing to 1) and returns the index taken.
 * A seeded chooser draws from an Rng; the tracer's enumerating chooser replays forced choices to
 * visit every outcome in a deterministic order.
 */
export interface Chooser {
  choose(label: string, probabilities: readonly number[]): number;
}

/** A chooser drawing from a seeded generator. */
export function rngChooser(rng: Rng): Chooser {
  return {
    choose(_label: string, probabilities: readonly number[]): number {
      const x = rng.next();
      let acc = 0;
      for (let i = 0; i < probabilities.length; i++) {
        acc += probabilities[i] ?? 0;
        if (x < acc) return i;
      }
      return probabilities.length - 1;
    },
  };
}

/** Simulated time and randomness handed to the model. `now` is in seconds since the simulation began. */
export interface SimContext {
  readonly now: () => number;
  readonly chooser: Chooser;
}

/** A context with a fixed clock at 0 and a seeded chooser. */
export function simContext(seed = 1): SimContext {
  return { now: () => 0, chooser: rngChooser(seededRng(seed)) };
}
