import { base, en, Faker } from '@faker-js/faker';

/**
 * The generator's only sources of chance: a Faker of its own (never the shared singleton) seeded with the
 * seed number, and a small counter-free PRNG for record ids. Same seed, same "now", same sizes: same rows.
 */
export interface DemoRandom {
  faker: Faker;
  /** A UUID v7 stamped with `atMs`, as `newId()` would have made at that moment, from the seeded PRNG. */
  id(atMs: number): string;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** One value by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T;
}

/** sfc32: 128 bits of state, fast and well distributed; seeded from the seed number by splitmix32. */
function sfc32(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export function demoRandom(seed: number): DemoRandom {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const next = sfc32(seed ^ 0x5eed1d5);
  return {
    faker,
    id(atMs) {
      const ms = Math.max(0, Math.floor(atMs));
      const high = Math.floor(ms / 2 ** 16);
      const low = ms % 2 ** 16;
      const r1 = next();
      const r2 = next();
      const r3 = next();
      // time_high(32) time_low(16) | ver 7 + 12 random | variant 10 + 14 random | 48 random
      return `${hex(high, 8)}-${hex(low, 4)}-7${hex(r1 & 0xfff, 3)}-${hex(0x8000 | ((r1 >>> 12) & 0x3fff), 4)}-${hex(r2 & 0xffff, 4)}${hex(r3, 8)}`;
    },
    chance: (p) => faker.number.float() < p,
    int: (min, max) => faker.number.int({ min, max }),
    pick: (items) => items[faker.number.int({ min: 0, max: items.length - 1 })]!,
    weighted(choices) {
      const total = choices.reduce((sum, [w]) => sum + w, 0);
      let roll = faker.number.float() * total;
      for (const [w, value] of choices) {
        roll -= w;
        if (roll < 0) return value;
      }
      return choices[choices.length - 1]![1];
    },
  };
}
