import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { discussionPath } from '$lib/domain/discussions';
import { helpPath } from '$lib/domain/help';
import { ideaPath } from '$lib/domain/ideas';
import { getDatabase, getDb } from '$lib/server/db/app';
import { listCategories } from '$lib/server/discussions';
import { echo, parseForm, readForm } from '$lib/server/forms';
import {
	CONVERSION_FIELDS,
	HELP_MESSAGE_FIELDS,
	closeHelpThread,
	conversionSchema,
	convertHelpThread,
	declineHelpProposal,
	getHelpThread,
	helpMessageSchema,
	hitHelpLimit,
	loadHelpThreadFacts,
	postHelpMessage,
	proposalSchema,
	proposeHelpConversion,
	setHelpSharing,
	type HelpThreadRecord
} from '$lib/server/help';
import { helpMessages } from '$lib/server/help/messages';
import { checkPostingAllowed, refuseIfSuspended } from '$lib/server/moderation/web';
import {
	canCloseHelpThread,
	canConvertHelpThread,
	canDeclineHelpProposal,
	canProposeHelpConversion,
	canReadHelpThread,
	canReplyToHelpThread,
	canShareHelpThread,
	type UserActor
} from '$lib/server/policy';
import { listProducts } from '$lib/server/products';
import type { Actions, PageServerLoad } from './$types';

function notFound(): never {
	error(404, helpMessages.notFound());
}

/**
 * The thread as the actor may see it, or a 404 for anyone who may not read it (visitors included):
 * the answer is the same as for a thread that does not exist, so nothing reveals one.
 */
async function readable(
	event: Pick<RequestEvent, 'locals' | 'params'>
): Promise<{ actor: UserActor; facts: HelpThreadRecord }> {
	const raw = (event.params as { id?: string }).id ?? '';
	const id = /^\d{1,15}$/.test(raw) ? Number(raw) : null;
	const { actor } = event.locals;
	if (id === null || actor.kind !== 'user') {
		notFound();
	}
	const facts = await loadHelpThreadFacts(getDb(), id, actor);
	if (!facts || !canReadHelpThread(actor, facts)) {
		notFound();
	}
	return { actor, facts };
}

/** A refusal after the thread was found readable: suspended members get the reason, others 403. */
function refuse(actor: UserActor): never {
	refuseIfSuspended(actor);
	error(403, helpMessages.forbidden());
}

export const load = (async (event) => {
	const { actor, facts } = await readable(event);
	const db = getDb();
	const thread = await getHelpThread(db, facts.id);
	if (!thread) {
		notFound();
	}
	const canConvert = canConvertHelpThread(actor, facts);
	const [categories, products, post] = await Promise.all([
		canConvert ? listCategories(db) : [],
		canConvert ? listProducts(db) : [],
		facts.convertedPostId !== null
			? db
					.selectFrom('post')
					.select(['id', 'kind', 'title'])
					.where('id', '=', facts.convertedPostId)
					.where('deleted_at', 'is', null)
					.executeTakeFirst()
			: undefined
	]);
	return {
		thread,
		isAuthor: actor.id === facts.authorId,
		hasCompany: facts.authorCompanyId !== null,
		convertedPath: post ? (post.kind === 'idea' ? ideaPath(post) : discussionPath(post)) : null,
		can: {
			reply: canReplyToHelpThread(actor, facts),
			close: canCloseHelpThread(actor, facts),
			share: canShareHelpThread(actor, facts),
			propose: canProposeHelpConversion(actor, facts),
			convert: canConvert,
			decline: canDeclineHelpProposal(actor, facts)
		},
		categories: categories.map((c) => ({ id: c.id, name: c.name })),
		products: products.map((p) => ({ id: p.id, name: p.name }))
	};
}) satisfies PageServerLoad;

export const actions = {
	reply: async (event) => {
		const { actor, facts } = await readable(event);
		if (!canReplyToHelpThread(actor, facts)) {
			refuse(actor);
		}
		const form = await readForm(event.request);
		const values = { body: String(form.get('body') ?? '').slice(0, 20_000) };
		const parsed = parseForm(form, helpMessageSchema, HELP_MESSAGE_FIELDS);
		if (!parsed.ok) {
			return fail(400, { action: 'reply', values, errors: parsed.errors });
		}
		const limited = await hitHelpLimit(getDatabase().pool, actor, 'message');
		if (limited) {
			event.setHeaders({ 'Retry-After': String(limited.retryAfterSeconds) });
			return fail(429, {
				action: 'reply',
				values,
				errors: { body: helpMessages.tooManyMessages(limited.retryAfterSeconds) }
			});
		}
		const result = await postHelpMessage(getDb(), actor, facts.id, parsed.data.body);
		if (!result.ok) {
			return result.reason === 'not_found' ? notFound() : refuse(actor);
		}
		redirect(303, `${helpPath(facts)}#message-${result.messageId}`);
	},
	close: async (event) => {
		const { actor, facts } = await readable(event);
		const result = await closeHelpThread(getDb(), actor, facts.id);
		if (!result.ok) {
			return result.reason === 'not_found' ? notFound() : refuse(actor);
		}
		redirect(303, helpPath(facts));
	},
	share: async (event) => {
		const { actor, facts } = await readable(event);
		const form = await readForm(event.request);
		const shared = form.get('shared') === 'on';
		const result = await setHelpSharing(getDb(), actor, facts.id, shared);
		if (!result.ok) {
			return result.reason === 'not_found' ? notFound() : refuse(actor);
		}
		redirect(303, helpPath(facts));
	},
	propose: async (event) => {
		const { actor, facts } = await readable(event);
		const form = await readForm(event.request);
		const parsed = parseForm(form, proposalSchema, ['kind']);
		if (!parsed.ok) {
			return fail(400, { action: 'propose', values: echo(form, ['kind']), errors: parsed.errors });
		}
		const result = await proposeHelpConversion(getDb(), actor, facts.id, parsed.data.kind);
		if (!result.ok) {
			return result.reason === 'not_found' ? notFound() : refuse(actor);
		}
		redirect(303, helpPath(facts));
	},
	decline: async (event) => {
		const { actor, facts } = await readable(event);
		const result = await declineHelpProposal(getDb(), actor, facts.id);
		if (!result.ok) {
			return result.reason === 'not_found' ? notFound() : refuse(actor);
		}
		redirect(303, helpPath(facts));
	},
	convert: async (event) => {
		const { actor, facts } = await readable(event);
		const form = await readForm(event.request);
		const values = echo(form, CONVERSION_FIELDS);
		if (facts.converted) {
			return fail(409, {
				action: 'convert',
				values,
				errors: { form: helpMessages.alreadyConverted() }
			});
		}
		if (!canConvertHelpThread(actor, facts)) {
			refuse(actor);
		}
		const parsed = parseForm(form, conversionSchema, CONVERSION_FIELDS);
		if (!parsed.ok) {
			return fail(400, { action: 'convert', values, errors: parsed.errors });
		}
		const first = await getDb()
			.selectFrom('help_message')
			.select('body_source')
			.where('thread_id', '=', facts.id)
			.orderBy('id')
			.limit(1)
			.executeTakeFirstOrThrow();
		const allowed = await checkPostingAllowed(event, actor, {
			kind: 'post',
			body: first.body_source
		});
		if (!allowed.ok) {
			return fail(allowed.status, { action: 'convert', values, errors: { form: allowed.message } });
		}
		const result = await convertHelpThread(getDb(), actor, facts.id, parsed.data, {
			visibility: allowed.visibility
		});
		if (!result.ok) {
			switch (result.reason) {
				case 'not_found':
					return notFound();
				case 'forbidden':
					return refuse(actor);
				case 'already':
					return fail(409, {
						action: 'convert',
						values,
						errors: { form: helpMessages.alreadyConverted() }
					});
				case 'invalid':
					return fail(400, { action: 'convert', values, errors: result.errors });
			}
		}
		redirect(303, result.path);
	}
} satisfies Actions;
