// What each event says: public data only, the same a visitor could read on the site. Never an
// email address, an internal note, a flag's note or who flagged; nothing that is hidden or
// waiting for approval (those return null and emit nothing).
import { ideaPath } from '$lib/domain/ideas';
import { reviewPath } from '$lib/domain/reviews';
import { config } from '../config';
import type { Db } from '../db';

function absolute(path: string): string | null {
	const origin = config().ORIGIN;
	return origin ? new URL(path, origin).toString() : null;
}

interface PublicPerson {
	id: number;
	handle: string;
	display_name: string;
}

async function person(trx: Db, id: number | null): Promise<PublicPerson | null> {
	if (id === null) {
		return null;
	}
	const row = await trx
		.selectFrom('app_user')
		.select(['id', 'handle', 'display_name'])
		.where('id', '=', id)
		.executeTakeFirst();
	return row ?? null;
}

/** A visible idea as the public sees it, or null when it is not public. */
export async function ideaPayload(trx: Db, postId: number) {
	const row = await trx
		.selectFrom('post')
		.leftJoin('idea_status', 'idea_status.id', 'post.status_id')
		.leftJoin('product', 'product.id', 'post.product_id')
		.select([
			'post.id',
			'post.title',
			'post.body_source',
			'post.author_id',
			'post.vote_count',
			'post.comment_count',
			'post.created_at',
			'post.visibility',
			'post.deleted_at',
			'idea_status.name as status_name',
			'idea_status.slug as status_slug',
			'idea_status.category as status_category',
			'product.id as product_id',
			'product.name as product_name',
			'product.slug as product_slug'
		])
		.where('post.id', '=', postId)
		.where('post.kind', '=', 'idea')
		.executeTakeFirst();
	if (!row || row.visibility !== 'visible' || row.deleted_at !== null) {
		return null;
	}
	const path = ideaPath(row);
	return {
		id: row.id,
		title: row.title,
		body: row.body_source,
		status: row.status_slug
			? { name: row.status_name, slug: row.status_slug, category: row.status_category }
			: null,
		product:
			row.product_id === null
				? null
				: { id: row.product_id, name: row.product_name, slug: row.product_slug },
		author: await person(trx, row.author_id),
		vote_count: row.vote_count,
		comment_count: row.comment_count,
		created_at: row.created_at.toISOString(),
		path,
		url: absolute(path)
	};
}

/** A visible review, or null. */
export async function reviewPayload(trx: Db, postId: number) {
	const row = await trx
		.selectFrom('post')
		.innerJoin('review', 'review.post_id', 'post.id')
		.leftJoin('product', 'product.id', 'post.product_id')
		.select([
			'post.id',
			'post.title',
			'post.body_source',
			'post.author_id',
			'post.created_at',
			'post.visibility',
			'review.rating',
			'product.id as product_id',
			'product.name as product_name',
			'product.slug as product_slug'
		])
		.where('post.id', '=', postId)
		.executeTakeFirst();
	if (!row || row.visibility !== 'visible') {
		return null;
	}
	const path = reviewPath(row);
	return {
		id: row.id,
		title: row.title,
		body: row.body_source,
		rating: row.rating,
		product:
			row.product_id === null
				? null
				: { id: row.product_id, name: row.product_name, slug: row.product_slug },
		author: await person(trx, row.author_id),
		created_at: row.created_at.toISOString(),
		path,
		url: absolute(path)
	};
}

/** A visible, public comment on a visible idea, or null. */
export async function commentPayload(trx: Db, commentId: number) {
	const row = await trx
		.selectFrom('comment')
		.select([
			'id',
			'post_id',
			'parent_id',
			'author_id',
			'body_source',
			'is_internal',
			'is_official',
			'visibility',
			'created_at'
		])
		.where('id', '=', commentId)
		.executeTakeFirst();
	if (!row || row.is_internal || row.visibility !== 'visible') {
		return null;
	}
	const idea = await ideaPayload(trx, row.post_id);
	if (!idea) {
		return null;
	}
	return {
		comment: {
			id: row.id,
			parent_id: row.parent_id,
			body: row.body_source,
			official: row.is_official,
			author: await person(trx, row.author_id),
			created_at: row.created_at.toISOString()
		},
		idea
	};
}

/** A published changelog entry with the ideas it shipped. */
export async function changelogPayload(trx: Db, entryId: number) {
	const entry = await trx
		.selectFrom('changelog_entry')
		.select(['id', 'title', 'slug', 'body_source', 'published_at', 'product_id'])
		.where('id', '=', entryId)
		.executeTakeFirst();
	if (!entry || entry.published_at === null || entry.slug === null) {
		return null;
	}
	const ideas = await trx
		.selectFrom('changelog_entry_idea')
		.innerJoin('post', 'post.id', 'changelog_entry_idea.post_id')
		.select(['post.id', 'post.title'])
		.where('changelog_entry_idea.entry_id', '=', entryId)
		.where('post.visibility', '=', 'visible')
		.where('post.deleted_at', 'is', null)
		.orderBy('post.id')
		.execute();
	const path = `/changelog/${entry.slug}`;
	return {
		id: entry.id,
		title: entry.title,
		body: entry.body_source,
		product_id: entry.product_id,
		published_at: entry.published_at.toISOString(),
		ideas: ideas.map((idea) => ({ id: idea.id, title: idea.title, path: ideaPath(idea) })),
		path,
		url: absolute(path)
	};
}
