import { randomUUID } from 'node:crypto';

/** Injected time source; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

/** Injected id source; tests pass a counter. */
export interface IdGenerator {
  next(): string;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Random v4 UUIDs. */
export const uuidGenerator: IdGenerator = { next: () => randomUUID() };
