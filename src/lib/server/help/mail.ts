// The email about a staff answer in a help thread. Whether it may go out is asked again when it
// is sent (the author may have stopped sharing, a colleague may have left the company).
import type { Role } from '$lib/domain/roles';
import { baseLocale, isLocale } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import type { EmailBlock } from '../email/render';
import { excerpt } from '../email/render';
import { canBeNotifiedOfHelpThread } from '../policy';
import { loadHelpThreadFacts } from './threads';

export interface HelpReplyMail {
	subject: string;
	blocks: EmailBlock[];
	reason: string;
}

/** The email for a `help_reply` notification, or null when its recipient may no longer read the thread. */
export async function helpReplyMail(
	db: Db,
	input: {
		threadId: number;
		recipient: { id: number; role: Role };
		actorName: string | null;
		url: string;
	}
): Promise<HelpReplyMail | null> {
	const recipient = await db
		.selectFrom('app_user')
		.select(['id', 'role', 'company_id', 'locale'])
		.where('id', '=', input.recipient.id)
		.executeTakeFirst();
	const facts = await loadHelpThreadFacts(db, input.threadId, { kind: 'anonymous' });
	if (
		!recipient ||
		!facts ||
		!canBeNotifiedOfHelpThread(
			{ id: recipient.id, role: recipient.role, companyId: recipient.company_id },
			facts
		)
	) {
		return null;
	}
	const latest = await db
		.selectFrom('help_message')
		.select('body_source')
		.where('thread_id', '=', input.threadId)
		.where('is_official', '=', true)
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	// Written in the recipient's language.
	const options = { locale: isLocale(recipient.locale) ? recipient.locale : baseLocale };
	const name = input.actorName ?? m.help_email_team({}, options);
	const subject = facts.subject;
	return {
		subject: m.help_email_subject({ name, subject }, options),
		blocks: [
			{ kind: 'paragraph', text: m.help_email_intro({ name, subject }, options) },
			...(latest ? [{ kind: 'quote' as const, text: excerpt(latest.body_source, 500) }] : []),
			{ kind: 'link', label: m.help_email_open({}, options), url: input.url }
		],
		reason: m.help_email_reason({}, options)
	};
}
