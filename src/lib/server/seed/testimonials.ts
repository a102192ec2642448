// Demo testimonials: a few happy customers (promoters and 4–5 star reviewers from the earlier
// seeds) invited by the staff member; two wrote a testimonial and consented, and it is published;
// one wrote without consent (private); one has not answered yet. Runs inside the demo seed's
// transaction, after the surveys and reviews exist.
import { invitationReason, TESTIMONIAL_CONSENT_VERSION } from '$lib/domain/testimonials';
import { config } from '../config';
import type { Db } from '../db';
import { renderMarkdown } from '../markdown';
import { consentWording, testimonialCandidates } from '../testimonials';

const DAY_MS = 24 * 60 * 60 * 1000;

const QUOTES = [
	'Our customers finally see what happens to their ideas. The roadmap and changelog closed a loop we had been dropping for years.',
	'We replaced three spreadsheets and a shared inbox. **Voting with value weighting** changed how we plan every quarter.',
	'The support questions answer themselves now: people search, find the accepted answer, and move on.'
];

export async function seedDemoTestimonials(trx: Db, staffId: number): Promise<void> {
	const candidates = (await testimonialCandidates(trx)).slice(0, 4);
	const now = Date.now();
	const rows = await trx
		.selectFrom('app_user as u')
		.leftJoin('company as c', 'c.id', 'u.company_id')
		.select(['u.id', 'u.display_name', 'c.name as company'])
		.where('u.id', 'in', candidates.length > 0 ? candidates.map((c) => c.userId) : [0])
		.execute();
	const people = new Map(rows.map((r) => [r.id, r]));
	for (const [i, candidate] of candidates.entries()) {
		const reason = invitationReason(candidate);
		const person = people.get(candidate.userId);
		if (!reason || !person) {
			continue;
		}
		const invitedAt = new Date(now - (20 - i * 3) * DAY_MS);
		const written = i < 3;
		const consented = i < 2;
		const body = QUOTES[i % QUOTES.length]!;
		const at = new Date(invitedAt.getTime() + 2 * DAY_MS);
		await trx
			.insertInto('testimonial')
			.values({
				user_id: candidate.userId,
				status: !written ? 'invited' : consented ? 'published' : 'submitted',
				invited_by_id: staffId,
				invited_at: invitedAt,
				invitation_message:
					i === 0
						? 'Your feedback has shaped so much of what we built. Would you say it in public?'
						: null,
				reason_kind: reason.kind,
				reason_score: reason.score,
				reason_post_id: reason.postId,
				body_source: written ? body : null,
				body_html: written ? renderMarkdown(body) : null,
				product_id: null,
				submitted_at: written ? at : null,
				updated_at: written ? at : invitedAt,
				...(consented
					? {
							consent_at: at,
							consent_version: TESTIMONIAL_CONSENT_VERSION,
							consent_text: consentWording({
								siteName: config().SITE_NAME,
								name: person.display_name,
								company: person.company
							}),
							shown_name: person.display_name,
							shown_company: person.company,
							published_at: new Date(at.getTime() + DAY_MS),
							published_by_id: staffId
						}
					: {})
			})
			.execute();
	}
}
