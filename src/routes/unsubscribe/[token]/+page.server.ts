// One-click unsubscribe (RFC 8058): GET shows what the link stops and a button; POST stops it,
// without signing in (the signed token is the permission). Mail providers POST here directly
// with `List-Unsubscribe=One-Click` (hooks.server.ts lets that cross-site POST through).
import { error } from '@sveltejs/kit';
import { topicLabel } from '$lib/domain/email';
import { getDb } from '$lib/server/db/app';
import { appSecret, verifyUnsubscribeToken } from '$lib/server/email/links';
import { unsubscribe } from '$lib/server/email/preferences';
import { canUnsubscribeWithToken } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

async function checked(token: string) {
	const db = getDb();
	const verified = verifyUnsubscribeToken(await appSecret(db), token);
	const account = verified
		? await db
				.selectFrom('app_user')
				.select('id')
				.where('id', '=', verified.userId)
				.executeTakeFirst()
		: undefined;
	if (!verified || !canUnsubscribeWithToken({ tokenValid: true, accountExists: !!account })) {
		error(400, m.discussions_unsubscribe_invalid());
	}
	return verified;
}

export const load = (async ({ params }) => {
	const { topic } = await checked(params.token);
	return { topic, label: topicLabel(topic) };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ params }) => {
		const { userId, topic } = await checked(params.token);
		if (!(await unsubscribe(getDb(), userId, topic))) {
			error(400, m.discussions_unsubscribe_invalid());
		}
		return { unsubscribed: true };
	}
} satisfies Actions;
