import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { MAX_WINNERS, toUtcInputValue } from '$lib/domain/challenges';
import { authorize } from '$lib/server/auth/guards';
import {
	CHALLENGE_FIELDS,
	announceWinners,
	challengeSchema,
	getChallenge,
	noteField,
	rankField,
	readWinnerPicks,
	updateChallenge
} from '$lib/server/challenges';
import { getDb } from '$lib/server/db/app';
import { echo, parseForm, readForm } from '$lib/server/forms';
import { listAllProducts } from '$lib/server/products';
import { canAnnounceWinners, canEditChallenge, canManageChallenges } from '$lib/server/policy';
import type { Actions, PageServerLoad } from './$types';

function challengeIdOf(event: Pick<RequestEvent, 'params'>): number {
	const id = /^\d{1,15}$/.test(event.params.id ?? '') ? Number(event.params.id) : null;
	if (id === null) {
		error(404, m.challenges_not_found());
	}
	return id;
}

const NOTICES = {
	created: () => m.challenges_notice_created(),
	saved: () => m.challenges_notice_saved(),
	announced: () => m.challenges_notice_announced()
};

export const load = (async (event) => {
	const { actor } = event.locals;
	authorize(event, canManageChallenges(actor));
	const now = new Date();
	const db = getDb();
	const [challenge, products] = await Promise.all([
		getChallenge(db, challengeIdOf(event), now),
		listAllProducts(db)
	]);
	if (!challenge) {
		error(404, m.challenges_not_found());
	}
	const facts = {
		startsAt: challenge.startsAt,
		endsAt: challenge.endsAt,
		announced: challenge.announced
	};
	const notice = event.url.searchParams.get('notice');
	return {
		challenge,
		products: products
			.filter((p) => !p.archivedAt || p.id === challenge.productId)
			.map((p) => ({ id: p.id, name: p.name })),
		values: {
			title: challenge.title,
			description: challenge.descriptionSource,
			product: String(challenge.productId),
			starts_at: toUtcInputValue(challenge.startsAt),
			ends_at: toUtcInputValue(challenge.endsAt),
			prizes: challenge.prizesSource
		},
		canEdit: canEditChallenge(actor, facts),
		canAnnounce: canAnnounceWinners(actor, facts, now),
		ranks: Array.from({ length: Math.min(MAX_WINNERS, challenge.entries.length) }, (_, i) => i + 1),
		fields: challenge.entries.map((e) => ({
			id: e.id,
			rank: rankField(e.id),
			note: noteField(e.id)
		})),
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES]() : null
	};
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		authorize(event, canManageChallenges(event.locals.actor));
		const id = challengeIdOf(event);
		const form = await readForm(event.request);
		const values = echo(form, CHALLENGE_FIELDS);
		const parsed = parseForm(form, challengeSchema, CHALLENGE_FIELDS);
		if (!parsed.ok) {
			return fail(400, { values, errors: parsed.errors });
		}
		const result = await updateChallenge(getDb(), event.locals.actor, id, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return fail(400, { values, errors: result.errors });
			}
			if (result.reason === 'not_found') {
				error(404, m.challenges_not_found());
			}
			return fail(409, { values, errors: { form: m.challenges_final() } });
		}
		redirect(303, `/staff/challenges/${id}?notice=saved`);
	},
	announce: async (event) => {
		authorize(event, canManageChallenges(event.locals.actor));
		const id = challengeIdOf(event);
		const db = getDb();
		const challenge = await getChallenge(db, id);
		if (!challenge) {
			error(404, m.challenges_not_found());
		}
		const form = await readForm(event.request);
		const entryIds = challenge.entries.map((e) => e.id);
		const picked: Record<string, string> = {};
		for (const entryId of entryIds) {
			for (const name of [rankField(entryId), noteField(entryId)]) {
				picked[name] = String(form.get(name) ?? '').slice(0, 5000);
			}
		}
		const read = readWinnerPicks(form, entryIds);
		if (!read.ok) {
			return fail(400, { picked, pickErrors: read.errors });
		}
		const result = await announceWinners(db, event.locals.actor, id, read.picks);
		if (!result.ok) {
			if (result.reason === 'not_found') {
				error(404, m.challenges_not_found());
			}
			if (result.reason === 'forbidden') {
				error(403, m.challenges_forbidden());
			}
			const errors =
				result.reason === 'invalid'
					? result.errors
					: {
							form:
								result.reason === 'already_announced'
									? m.challenges_already_announced()
									: m.challenges_not_closed_yet()
						};
			return fail(result.reason === 'invalid' ? 400 : 409, { picked, pickErrors: errors });
		}
		redirect(303, `/staff/challenges/${id}?notice=announced`);
	}
} satisfies Actions;
