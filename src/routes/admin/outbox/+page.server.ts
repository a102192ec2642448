import { authorize } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db/app';
import { listOutbox } from '$lib/server/mail';
import { canReadOutbox } from '$lib/server/policy';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	authorize(event, canReadOutbox(event.locals.actor));
	const recipient = event.url.searchParams.get('to')?.slice(0, 254) ?? '';
	return {
		smtpConfigured: Boolean(config().SMTP_URL),
		recipient,
		messages: await listOutbox(getDb(), { recipient: recipient || undefined })
	};
}) satisfies PageServerLoad;
