import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { authorize, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { readForm } from '$lib/server/forms';
import {
	listNotifications,
	markAllRead,
	markRead,
	openNotification
} from '$lib/server/notifications';
import { canReadNotifications } from '$lib/server/policy';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

function idParam(value: string | null): number | null {
	return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

function reader(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = requireUser(event);
	authorize(event, canReadNotifications(user));
	return user;
}

export const load = (async (event) => {
	const user = reader(event);
	const db = getDb();
	// A notification's link comes through here: opening it is what marks it read (the inbox
	// itself marks nothing), then it goes on to the comment.
	const open = idParam(event.url.searchParams.get('open'));
	if (open !== null) {
		redirect(303, (await openNotification(db, user.id, open)) ?? '/notifications');
	}
	const before = idParam(event.url.searchParams.get('before'));
	const { items, olderBefore } = await listNotifications(db, user.id, { before });
	return {
		notifications: items.map((item) => ({
			...item,
			href: item.post || item.helpThreadId || item.path ? `/notifications?open=${item.id}` : null
		})),
		olderHref: olderBefore === null ? null : `/notifications?before=${olderBefore}`,
		newerHref: before === null ? null : '/notifications'
	};
}) satisfies PageServerLoad;

export const actions = {
	markRead: async (event) => {
		const user = reader(event);
		const id = idParam((await readForm(event.request)).get('notification')?.toString() ?? null);
		if (id === null) {
			error(400, m.discussions_form_unreadable());
		}
		await markRead(getDb(), user.id, id);
		return { marked: 1 };
	},
	markAllRead: async (event) => {
		const user = reader(event);
		return { marked: await markAllRead(getDb(), user.id) };
	}
} satisfies Actions;
