import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/app';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { deleteIdea, getIdeaDetail, parseIdeaId } from '$lib/server/ideas';
import { loadIdeaFacts } from '$lib/server/ideas/facts';
import { findSimilarIdeas } from '$lib/server/ideas/queries';
import {
	canDeleteIdea,
	canEditIdea,
	canFlag,
	canSeeUnlisted,
	canViewDeletedIdea
} from '$lib/server/policy';
import { openFlagsOnPost } from '$lib/server/moderation';
import { refuseIfSuspended } from '$lib/server/moderation/web';
import { flag } from '$lib/server/moderation/flag-action';
import { loadVoting, votingActions } from './voting.server';
import { commentActions, loadComments } from './comments.server';
import { loadStaffPanel, staffActions } from './staff.server';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const id = parseIdeaId(event.params.id);
	const db = getDb();
	const [idea, facts] =
		id === null ? [] : await Promise.all([getIdeaDetail(db, id), loadIdeaFacts(db, id)]);
	if (!idea || !facts) {
		error(404, m.ideas_not_found());
	}
	const { actor } = event.locals;
	if (idea.deletedAt && !canViewDeletedIdea(actor)) {
		error(410, m.ideas_deleted_by_author());
	}
	// Hidden or pending: only its author and moderators know it exists.
	if (idea.visibility !== 'visible' && !canSeeUnlisted(actor, idea)) {
		error(404, m.ideas_not_found());
	}
	// One address per idea: an old or mistyped slug goes to the current one.
	if (event.url.pathname !== idea.path) {
		redirect(308, idea.path + event.url.search);
	}
	// The parts are independent of each other: asked for together, on the pool's connections.
	const [comments, flagged, voting, similar, staff] = await Promise.all([
		loadComments(event, facts),
		actor.kind === 'user' ? openFlagsOnPost(db, actor.id, idea.id) : null,
		loadVoting(event, facts),
		findSimilarIdeas(db, { title: idea.title, productId: idea.product.id, excludeId: idea.id }),
		loadStaffPanel(event, facts)
	]);
	// Flags on comments the page does not show (deleted, hidden) stay unsaid, as before.
	const shownComments = new Set<number>();
	const collect = (list: typeof comments.threads) =>
		list.forEach((c) => {
			shownComments.add(c.id);
			collect(c.replies);
		});
	collect(comments.threads);
	const { mergedFrom, ...shown } = idea;
	return {
		idea: shown,
		can: {
			edit: canEditIdea(actor, facts),
			delete: canDeleteIdea(actor, facts),
			flag: canFlag(actor, facts) && idea.visibility === 'visible'
		},
		/** What the viewer has flagged and not yet seen decided. */
		flagged: {
			post: flagged?.posts.has(idea.id) ?? false,
			comments: [...(flagged?.comments ?? [])].filter((id) => shownComments.has(id))
		},
		voting,
		comments,
		similar,
		mergedFrom,
		/** Null for everyone but staff: the panel is not rendered at all. */
		staff
	};
}) satisfies PageServerLoad;

export const actions = {
	...votingActions,
	...commentActions,
	...staffActions,
	flag,
	delete: async (event) => {
		refuseIfSuspended(requireUser(event));
		const id = parseIdeaId(event.params.id);
		const result = id === null ? null : await deleteIdea(getDb(), event.locals.actor, id);
		if (!result || (!result.ok && result.reason === 'not_found')) {
			error(404, m.ideas_no_such_idea());
		}
		if (!result.ok) {
			error(403, m.ideas_only_author_deletes());
		}
		redirect(303, '/ideas?deleted=1');
	}
} satisfies Actions;
