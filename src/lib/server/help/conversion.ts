// Publishing a help thread, only ever by its author: its first message becomes a public discussion
// (discussions' `startThread`) or idea (ideas' `postIdea`), and the private thread records who
// published it, when, and where. Staff may only propose it; the author accepts or declines.
import type { Visibility } from '$lib/domain/moderation';
import { HELP_CONVERSION_KINDS, type HelpConversionKind } from '$lib/domain/help';
import { z } from 'zod';
import type { Db } from '../db';
import { startThread, threadSchema } from '../discussions/threads';
import { ideaSchema, postIdea } from '../ideas';
import {
	canConvertHelpThread,
	canDeclineHelpProposal,
	canProposeHelpConversion,
	canReadHelpThread,
	type Actor
} from '../policy';
import { helpMessages as hm } from './messages';
import { loadHelpThreadFacts, recordHelpEvent, type HelpFieldErrors } from './threads';

export const proposalSchema = z.object({
	kind: z.enum(HELP_CONVERSION_KINDS, { error: () => hm.kindUnknown() })
});

/** The author's choice: a title (the subject by default) and where the post goes. */
export const conversionSchema = z.object({
	kind: z.enum(HELP_CONVERSION_KINDS, { error: () => hm.kindUnknown() }),
	title: z.string().default(''),
	category: z.string().default(''),
	product: z.string().default('')
});
export const CONVERSION_FIELDS = ['kind', 'title', 'category', 'product'] as const;
export type ConversionInput = z.output<typeof conversionSchema>;

export type HelpProposalResult = { ok: true } | { ok: false; reason: 'not_found' | 'forbidden' };

/** Staff propose publishing the thread; a newer proposal replaces an unanswered one. */
export async function proposeHelpConversion(
	db: Db,
	actor: Actor,
	threadId: number,
	kind: HelpConversionKind
): Promise<HelpProposalResult> {
	return db.transaction().execute(async (trx): Promise<HelpProposalResult> => {
		const facts = await loadHelpThreadFacts(trx, threadId, actor, { forUpdate: true });
		if (!facts || !canReadHelpThread(actor, facts)) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canProposeHelpConversion(actor, facts)) {
			return { ok: false, reason: 'forbidden' };
		}
		await trx
			.updateTable('help_thread')
			.set({ proposed_kind: kind, proposed_by_id: actor.id, proposed_at: new Date() })
			.where('id', '=', threadId)
			.execute();
		await recordHelpEvent(trx, threadId, actor.id, 'proposed', { kind });
		return { ok: true };
	});
}

/** The author declines the pending proposal: it is withdrawn and the answer recorded. */
export async function declineHelpProposal(
	db: Db,
	actor: Actor,
	threadId: number
): Promise<HelpProposalResult> {
	return db.transaction().execute(async (trx): Promise<HelpProposalResult> => {
		const facts = await loadHelpThreadFacts(trx, threadId, actor, { forUpdate: true });
		if (!facts || !canReadHelpThread(actor, facts)) {
			return { ok: false, reason: 'not_found' };
		}
		if (!canDeclineHelpProposal(actor, facts)) {
			return { ok: false, reason: 'forbidden' };
		}
		await trx
			.updateTable('help_thread')
			.set({ proposed_kind: null, proposed_by_id: null, proposed_at: null })
			.where('id', '=', threadId)
			.execute();
		await recordHelpEvent(trx, threadId, actor.id, 'declined', { kind: facts.proposedKind });
		return { ok: true };
	});
}

export type ConvertHelpResult =
	| { ok: true; postId: number; path: string }
	| { ok: false; reason: 'not_found' | 'forbidden' | 'already' }
	| { ok: false; reason: 'invalid'; errors: HelpFieldErrors };

/**
 * The author publishes the thread. The thread is claimed first (a conditional update), so two
 * submissions publish once; the post is then made by the discussions or ideas domain (its own
 * transaction, ledger, follows and webhooks, as for any new post), and a refusal there gives the
 * claim back. Only the first message is published: staff answers and colleagues' messages stay
 * private.
 */
export async function convertHelpThread(
	db: Db,
	actor: Actor,
	threadId: number,
	input: ConversionInput,
	options: { visibility?: Visibility } = {}
): Promise<ConvertHelpResult> {
	const facts = await loadHelpThreadFacts(db, threadId, actor);
	if (!facts || !canReadHelpThread(actor, facts)) {
		return { ok: false, reason: 'not_found' };
	}
	if (facts.converted) {
		return { ok: false, reason: 'already' };
	}
	if (!canConvertHelpThread(actor, facts)) {
		return { ok: false, reason: 'forbidden' };
	}
	const first = await db
		.selectFrom('help_message')
		.select('body_source')
		.where('thread_id', '=', threadId)
		.orderBy('id')
		.limit(1)
		.executeTakeFirstOrThrow();
	const title = input.title.trim() === '' ? facts.subject : input.title;

	// Validate with the target's own rules before claiming anything.
	let create: () => Promise<
		| { ok: true; id: number; path: string }
		| { ok: false; reason: 'forbidden' }
		| { ok: false; reason: 'invalid'; errors: HelpFieldErrors }
	>;
	if (input.kind === 'discussion') {
		const parsed = threadSchema.safeParse({
			title,
			body: first.body_source,
			category: input.category === '' ? undefined : input.category,
			pollQuestion: '',
			pollOptions: ''
		});
		if (!parsed.success) {
			return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
		}
		create = () => startThread(db, actor, parsed.data, options);
	} else {
		const parsed = ideaSchema.safeParse({
			title,
			body: first.body_source,
			product: input.product === '' ? undefined : input.product,
			tags: []
		});
		if (!parsed.success) {
			return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
		}
		create = () => postIdea(db, actor, parsed.data, options);
	}

	const claimed = await db
		.updateTable('help_thread')
		.set({ converted_kind: input.kind, converted_at: new Date(), converted_by_id: actor.id })
		.where('id', '=', threadId)
		.where('converted_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	if (!claimed) {
		return { ok: false, reason: 'already' };
	}
	let created: Awaited<ReturnType<typeof create>>;
	try {
		created = await create();
	} catch (cause) {
		await releaseClaim(db, threadId);
		throw cause;
	}
	if (!created.ok) {
		await releaseClaim(db, threadId);
		return created.reason === 'forbidden'
			? { ok: false, reason: 'forbidden' }
			: { ok: false, reason: 'invalid', errors: created.errors };
	}
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('help_thread')
			.set({
				converted_post_id: created.id,
				proposed_kind: null,
				proposed_by_id: null,
				proposed_at: null
			})
			.where('id', '=', threadId)
			.execute();
		await recordHelpEvent(trx, threadId, actor.id, 'converted', {
			kind: input.kind,
			postId: created.id,
			accepted: facts.proposalPending && facts.proposedKind === input.kind
		});
	});
	return { ok: true, postId: created.id, path: created.path };
}

async function releaseClaim(db: Db, threadId: number): Promise<void> {
	await db
		.updateTable('help_thread')
		.set({ converted_kind: null, converted_at: null, converted_by_id: null })
		.where('id', '=', threadId)
		.where('converted_post_id', 'is', null)
		.execute();
}

function fieldErrors(error: z.ZodError): HelpFieldErrors {
	const errors: HelpFieldErrors = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'form');
		// The body is the first message: its problems are the author's to see on the title line.
		errors[field === 'body' ? 'form' : field] ??= issue.message;
	}
	return errors;
}
