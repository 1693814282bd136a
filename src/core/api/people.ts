/**
 * Request bodies of the people API: profiles, teams, project members, invitations,
 * household statuses and passwords. Limits sit beside the fields they bound.
 */
import { z } from 'zod';
import { parseDate, USERNAME_PATTERN } from '../people/profile.js';
import { id, idString } from './primitives.js';

/** A code of the editable household status list: lower-case, stable, safe in URLs and sheets. */
export const householdCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a household code has lower-case letters, digits and _');

/** 'YYYY-MM-DD' and a real calendar day. */
export const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine((s) => parseDate(s) === s, 'not a calendar date');

/** Names and places: a Chinese name is short; 100 leaves room for others. */
const shortText = z.string().trim().max(100);
const place = shortText.nullish();

/** Passwords: 8 is the floor people can remember; 256 bounds the hashing work. */
export const newPassword = z.string().min(8).max(256);

export const personRole = z.enum(['worker', 'reviewer']);

export const personBody = z.object({
  displayName: shortText.min(1),
  /** Blank: the next sequence name (w0001, …) is generated. */
  username: z.string().regex(USERNAME_PATTERN).optional(),
  role: personRole.default('worker'),
  phone: z.string().max(30).nullish(),
  county: place,
  township: place,
  village: place,
  household: householdCode.default('none'),
  startDate: dateString.optional(),
  consentNamed: z.boolean().default(false),
  teamId: id.nullish(),
});

export const personPatch = z
  .object({
    displayName: shortText.min(1),
    phone: z.string().max(30).nullable(),
    county: place,
    township: place,
    village: place,
    household: householdCode,
    startDate: dateString.nullable(),
    endDate: dateString.nullable(),
    consentNamed: z.boolean(),
    teamId: id.nullable(),
  })
  .partial();

export const peopleQuery = z.object({
  q: z.string().max(100).optional(),
  teamId: idString.optional(),
  household: householdCode.optional(),
  status: z.enum(['active', 'disabled', 'all']).default('all'),
  role: personRole.optional(),
});

export const disableBody = z.object({
  /** The person is leaving the base (not just locked out): end_date is set. */
  leaving: z.boolean().default(false),
  endDate: dateString.optional(),
});

export const teamBody = z.object({
  name: shortText.min(1),
  leadUserId: id.nullish(),
});
export const teamPatch = teamBody.partial();

/** A base has hundreds of people, not tens of thousands. */
const idList = z.array(id).max(5000);

export const teamMembersBody = z.object({ userIds: idList });

export const projectMembersBody = z.object({ userIds: idList.default([]), teamIds: idList.default([]) });

export const invitationBody = z.object({
  role: z.literal('worker').default('worker'),
  teamId: id.nullish(),
  /** Up to 90 days: an invitation is for a recruitment drive, not forever. */
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  /** A village group rarely exceeds a few hundred. */
  maxUses: z.number().int().min(1).max(1000).default(50),
});

export const signupBody = z.object({
  code: z.string().trim().min(4).max(40),
  displayName: shortText.min(1),
  password: newPassword,
  phone: z.string().max(30).nullish(),
  county: place,
  township: place,
  village: place,
  consentNamed: z.boolean().default(false),
});

export const setPasswordBody = z.object({
  password: newPassword,
  /** Needed unless the session came from a one-time code. */
  currentPassword: z.string().max(256).optional(),
});

export const householdStatusBody = z.object({
  code: householdCode,
  labelZh: shortText.min(1),
  labelEn: shortText.min(1),
  sort: z.number().int().min(0).max(10_000).default(50),
});

export const householdStatusPatch = z
  .object({
    labelZh: shortText.min(1),
    labelEn: shortText.min(1),
    sort: z.number().int().min(0).max(10_000),
    active: z.boolean(),
  })
  .partial();

export const codeParam = z.object({ code: householdCode });
export const teamMemberParam = z.object({
  id: idString,
  userId: idString,
});

export type PersonBody = z.infer<typeof personBody>;
export type PersonPatch = z.infer<typeof personPatch>;
export type PeopleQuery = z.infer<typeof peopleQuery>;
export type InvitationBody = z.infer<typeof invitationBody>;
export type SignupBody = z.infer<typeof signupBody>;
