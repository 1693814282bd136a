/**
 * The short secrets of people management: one-time login codes a manager reads out,
 * invitation codes a manager hands to a village group, and the sessions they open.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Config } from '../config.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { sha256 } from './auth.service.js';

/** A one-time code lives three days: enough to reach a worker over a weekend, short enough to go stale. */
export const ONE_TIME_CODE_TTL_MS = 72 * 3_600_000;

/**
 * Eight digits: easy to read out on the phone and to type on a phone's number pad. Its
 * 10^8 space is guarded by the login rate limit, the 72-hour expiry, argon2id at rest,
 * and by being good for one thing only: choosing a new password.
 */
export function newOneTimeCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/** No 0/O, 1/I/L: a code read aloud or copied from paper survives. */
const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** An invitation code such as `K7MQ-3XPA` (about 40 bits); stored only as its SHA-256. */
export function newInvitationCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += INVITE_ALPHABET[randomInt(0, INVITE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** The form an invitation code is hashed in: case, spaces and dashes do not matter. */
export function invitationCodeHash(code: string): string {
  return sha256(code.toUpperCase().replace(/[^A-Z0-9]/g, ''));
}

/** Opens a session for a person, as a login does; returns the cookie token. */
export async function openSession(users: UserRepository, config: Config, userId: number, now: number) {
  const token = randomBytes(32).toString('base64url');
  await users.createSession(sha256(token), userId, now, now + config.sessionDays * 86_400_000);
  return token;
}
