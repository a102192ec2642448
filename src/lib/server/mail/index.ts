// Outgoing mail: over SMTP when SMTP_URL is set, otherwise kept in the outbox table that admins
// read at /admin/outbox (so a new install works without a mail server).
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db';
import { config } from '../config';

export interface MailMessage {
	to: string;
	subject: string;
	text: string;
	/** An HTML alternative to `text` (escaped by whoever builds it). */
	html?: string;
	/** Extra headers, e.g. List-Unsubscribe. */
	headers?: Record<string, string>;
	/** The Message-ID, `<...@...>`: the same for every try at one mail, so a duplicate shows. */
	messageId?: string;
}

let transport: { url: string; transporter: Transporter } | undefined;

function transporterFor(url: string): Transporter {
	if (transport?.url !== url) {
		transport?.transporter.close();
		// A send gives up within about a minute and a half (nodemailer waits up to 10 minutes by
		// default), well within the mail jobs' 5-minute expiry: a job that outlives it is presumed
		// dead and its mail may be sent again.
		transport = {
			url,
			transporter: nodemailer.createTransport({
				url,
				connectionTimeout: 30_000,
				greetingTimeout: 30_000,
				socketTimeout: 60_000
			})
		};
	}
	return transport.transporter;
}

/**
 * Delivers a message, or keeps it in the outbox when no SMTP server is configured (the outbox
 * keeps the plain text only: it is read by admins, and every message has its text part).
 */
export async function sendMail(db: Db, message: MailMessage): Promise<'sent' | 'outbox'> {
	const { SMTP_URL, MAIL_FROM } = config();
	if (SMTP_URL) {
		await transporterFor(SMTP_URL).sendMail({
			from: MAIL_FROM,
			to: message.to,
			subject: message.subject,
			text: message.text,
			html: message.html,
			headers: message.headers,
			messageId: message.messageId
		});
		return 'sent';
	}
	await db
		.insertInto('mail_outbox')
		.values({
			recipient: message.to.toLowerCase(),
			subject: message.subject,
			text_body: message.text
		})
		.execute();
	return 'outbox';
}

export interface OutboxMessage {
	id: number;
	recipient: string;
	subject: string;
	textBody: string;
	createdAt: Date;
}

export async function listOutbox(
	db: Db,
	options: { recipient?: string; limit?: number } = {}
): Promise<OutboxMessage[]> {
	let query = db
		.selectFrom('mail_outbox')
		.select(['id', 'recipient', 'subject', 'text_body as textBody', 'created_at as createdAt'])
		.orderBy('id', 'desc')
		.limit(options.limit ?? 50);
	if (options.recipient) {
		query = query.where('recipient', '=', options.recipient.toLowerCase());
	}
	return query.execute();
}
