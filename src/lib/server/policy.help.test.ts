import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/domain/roles';
import {
	anonymous,
	canBeNotifiedOfHelpThread,
	canCloseHelpThread,
	canConvertHelpThread,
	canDeclineHelpProposal,
	canProposeHelpConversion,
	canReadHelpThread,
	canReplyToHelpThread,
	canShareHelpThread,
	canStartHelpThread,
	canUseHelp,
	canViewHelpInbox,
	type HelpThreadFacts,
	type UserActor
} from './policy';

const AUTHOR = 1;
const COLLEAGUE = 2;
const STRANGER = 3;
const ACME = 10;
const OTHER_CO = 11;
const suspended = () => new Date(Date.now() + 60_000);

function user(id: number, role: Role = 'member', suspendedUntil: Date | null = null): UserActor {
	return {
		kind: 'user',
		id,
		handle: `u${id}`,
		displayName: `U${id}`,
		email: `u${id}@example.com`,
		role,
		suspendedUntil
	};
}

function thread(overrides: Partial<HelpThreadFacts> = {}): HelpThreadFacts {
	return {
		authorId: AUTHOR,
		authorCompanyId: ACME,
		sharedWithCompany: false,
		status: 'open',
		proposalPending: false,
		converted: false,
		viewerCompanyId: null,
		...overrides
	};
}

describe('canUseHelp and canStartHelpThread', () => {
	it('lets signed-in people use help; suspended members read but do not start threads', () => {
		expect(canUseHelp(anonymous)).toBe(false);
		expect(canUseHelp(user(AUTHOR))).toBe(true);
		expect(canUseHelp(user(AUTHOR, 'member', suspended()))).toBe(true);
		expect(canStartHelpThread(anonymous)).toBe(false);
		expect(canStartHelpThread(user(AUTHOR))).toBe(true);
		expect(canStartHelpThread(user(AUTHOR, 'member', suspended()))).toBe(false);
	});
});

describe('canReadHelpThread', () => {
	it.each([
		['member', false],
		['moderator', false],
		['staff', true],
		['admin', true]
	] as const)('a %s who is not the author → %s', (role, allowed) => {
		expect(canReadHelpThread(user(STRANGER, role), thread())).toBe(allowed);
	});
	it('lets the author read, suspended or not', () => {
		expect(canReadHelpThread(user(AUTHOR), thread())).toBe(true);
		expect(canReadHelpThread(user(AUTHOR, 'member', suspended()), thread())).toBe(true);
	});
	it('refuses anonymous visitors', () => {
		expect(canReadHelpThread(anonymous, thread({ sharedWithCompany: true }))).toBe(false);
	});
	it('refuses a colleague while the thread is not shared', () => {
		expect(canReadHelpThread(user(COLLEAGUE), thread({ viewerCompanyId: ACME }))).toBe(false);
	});
	it('lets a colleague read once shared, but not a member of another company', () => {
		const shared = { sharedWithCompany: true };
		expect(canReadHelpThread(user(COLLEAGUE), thread({ ...shared, viewerCompanyId: ACME }))).toBe(
			true
		);
		expect(
			canReadHelpThread(user(STRANGER), thread({ ...shared, viewerCompanyId: OTHER_CO }))
		).toBe(false);
		expect(canReadHelpThread(user(STRANGER), thread({ ...shared, viewerCompanyId: null }))).toBe(
			false
		);
	});
	it('shares with nobody when the author has no company (two people without one are not colleagues)', () => {
		expect(
			canReadHelpThread(
				user(STRANGER),
				thread({ sharedWithCompany: true, authorCompanyId: null, viewerCompanyId: null })
			)
		).toBe(false);
	});
});

describe('canReplyToHelpThread', () => {
	it('lets readers write unless suspended', () => {
		expect(canReplyToHelpThread(user(AUTHOR), thread())).toBe(true);
		expect(canReplyToHelpThread(user(STRANGER, 'staff'), thread())).toBe(true);
		expect(canReplyToHelpThread(user(AUTHOR, 'member', suspended()), thread())).toBe(false);
		expect(canReplyToHelpThread(user(STRANGER), thread())).toBe(false);
		expect(
			canReplyToHelpThread(
				user(COLLEAGUE),
				thread({ sharedWithCompany: true, viewerCompanyId: ACME })
			)
		).toBe(true);
		expect(canReplyToHelpThread(anonymous, thread())).toBe(false);
	});
	it('takes a message on a closed thread (it reopens it)', () => {
		expect(canReplyToHelpThread(user(AUTHOR), thread({ status: 'closed' }))).toBe(true);
	});
});

describe('canCloseHelpThread', () => {
	it.each([
		['author', user(AUTHOR), true],
		['staff', user(STRANGER, 'staff'), true],
		['admin', user(STRANGER, 'admin'), true],
		['moderator', user(STRANGER, 'moderator'), false],
		['another member', user(STRANGER), false]
	] as const)('%s → %s', (_who, actor, allowed) => {
		expect(canCloseHelpThread(actor, thread())).toBe(allowed);
	});
	it('refuses a shared colleague, a suspended author, and a thread already closed', () => {
		expect(
			canCloseHelpThread(
				user(COLLEAGUE),
				thread({ sharedWithCompany: true, viewerCompanyId: ACME })
			)
		).toBe(false);
		expect(canCloseHelpThread(user(AUTHOR, 'member', suspended()), thread())).toBe(false);
		expect(canCloseHelpThread(user(AUTHOR), thread({ status: 'closed' }))).toBe(false);
		expect(canCloseHelpThread(anonymous, thread())).toBe(false);
	});
});

describe('canShareHelpThread', () => {
	it('is the author’s, and only when they belong to a company', () => {
		expect(canShareHelpThread(user(AUTHOR), thread())).toBe(true);
		expect(canShareHelpThread(user(AUTHOR), thread({ authorCompanyId: null }))).toBe(false);
		expect(canShareHelpThread(user(STRANGER, 'staff'), thread())).toBe(false);
		expect(
			canShareHelpThread(
				user(COLLEAGUE),
				thread({ sharedWithCompany: true, viewerCompanyId: ACME })
			)
		).toBe(false);
		expect(canShareHelpThread(user(AUTHOR, 'member', suspended()), thread())).toBe(false);
	});
});

describe('conversion rules', () => {
	it('lets staff propose, never members, and not once converted', () => {
		expect(canProposeHelpConversion(user(STRANGER, 'staff'), thread())).toBe(true);
		expect(canProposeHelpConversion(user(STRANGER, 'admin'), thread())).toBe(true);
		expect(canProposeHelpConversion(user(AUTHOR), thread())).toBe(false);
		expect(canProposeHelpConversion(user(STRANGER, 'moderator'), thread())).toBe(false);
		expect(canProposeHelpConversion(user(STRANGER, 'staff'), thread({ converted: true }))).toBe(
			false
		);
	});
	it('lets only the author publish, once, and not while suspended', () => {
		expect(canConvertHelpThread(user(AUTHOR), thread())).toBe(true);
		expect(canConvertHelpThread(user(STRANGER, 'staff'), thread())).toBe(false);
		expect(canConvertHelpThread(user(STRANGER, 'admin'), thread())).toBe(false);
		expect(
			canConvertHelpThread(
				user(COLLEAGUE),
				thread({ sharedWithCompany: true, viewerCompanyId: ACME })
			)
		).toBe(false);
		expect(canConvertHelpThread(user(AUTHOR), thread({ converted: true }))).toBe(false);
		expect(canConvertHelpThread(user(AUTHOR, 'member', suspended()), thread())).toBe(false);
	});
	it('lets the author decline only a pending proposal', () => {
		expect(canDeclineHelpProposal(user(AUTHOR), thread({ proposalPending: true }))).toBe(true);
		expect(canDeclineHelpProposal(user(AUTHOR), thread())).toBe(false);
		expect(canDeclineHelpProposal(user(STRANGER, 'staff'), thread({ proposalPending: true }))).toBe(
			false
		);
	});
});

describe('canViewHelpInbox', () => {
	it.each([
		['member', false],
		['moderator', false],
		['staff', true],
		['admin', true]
	] as const)('%s → %s', (role, allowed) => {
		expect(canViewHelpInbox(user(STRANGER, role))).toBe(allowed);
	});
	it('denies anonymous visitors', () => {
		expect(canViewHelpInbox(anonymous)).toBe(false);
	});
});

describe('canBeNotifiedOfHelpThread', () => {
	const facts = {
		authorId: AUTHOR,
		authorCompanyId: ACME,
		sharedWithCompany: false,
		status: 'answered' as const,
		proposalPending: false,
		converted: false
	};
	it('tells the author and, only while shared, colleagues; never strangers', () => {
		expect(canBeNotifiedOfHelpThread({ id: AUTHOR, role: 'member', companyId: ACME }, facts)).toBe(
			true
		);
		expect(
			canBeNotifiedOfHelpThread({ id: COLLEAGUE, role: 'member', companyId: ACME }, facts)
		).toBe(false);
		expect(
			canBeNotifiedOfHelpThread(
				{ id: COLLEAGUE, role: 'member', companyId: ACME },
				{ ...facts, sharedWithCompany: true }
			)
		).toBe(true);
		expect(
			canBeNotifiedOfHelpThread(
				{ id: STRANGER, role: 'member', companyId: OTHER_CO },
				{ ...facts, sharedWithCompany: true }
			)
		).toBe(false);
	});
});
