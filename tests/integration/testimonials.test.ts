// Testimonials on both databases: who may be asked (hand-made promoters, passives, reviewers and
// staff), an invitation with its notification, the member writing with and without consent,
// publishing refused without consent, withdrawal taking it off the public page and the JSON feed,
// and nobody but the invited member reading or writing the invitation.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { defaultEmailPreferences } from '$lib/domain/email';
import { sendNotificationEmail } from '$lib/server/email/mailer';
import { saveEmailPreferences } from '$lib/server/email/preferences';
import { exportOwnData } from '$lib/server/customers/export';
import type { Actor, UserActor } from '$lib/server/policy';
import {
	inviteToTestimonial,
	listPublishedTestimonials,
	listTestimonialsForStaff,
	ownTestimonials,
	publishTestimonial,
	testimonialCandidates,
	unpublishTestimonial,
	withdrawTestimonialConsent,
	writeTestimonial,
	type TestimonialInput
} from '$lib/server/testimonials';
import { TESTIMONIAL_CONSENT_VERSION } from '$lib/domain/testimonials';
import { withLocale } from '$lib/server/i18n';
import { testimonialSchema } from '$lib/server/testimonials';
import { createProduct, createUser } from '../helpers/factories';
import { backends, createTestDatabase } from '../helpers/test-db';
import { GET as testimonialsJson } from '../../src/routes/testimonials.json/+server';
import { load as publicLoad } from '../../src/routes/testimonials/+page.server';
import {
	actions as invitationActions,
	load as invitationLoad
} from '../../src/routes/testimonials/invitations/[id]/+page.server';
import { actions as staffActions } from '../../src/routes/staff/testimonials/+page.server';
import { actions as settingsActions } from '../../src/routes/settings/testimonials/+page.server';

const app = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => {
		if (!app.db) {
			throw new Error('no test database');
		}
		return app.db;
	}
}));

type Outcome =
	| { kind: 'failure'; status: number; data: unknown }
	| { kind: 'redirect'; status: number; location: string }
	| { kind: 'error'; status: number }
	| { kind: 'returned'; value: unknown };

function requestEvent(actor: Actor, path: string, params: Record<string, string>, form?: object) {
	const url = new URL(`http://localhost${path}`);
	return {
		locals: { actor },
		params,
		url,
		setHeaders: () => {},
		request: new Request(
			url,
			form ? { method: 'POST', body: new URLSearchParams(form as Record<string, string>) } : {}
		)
	} as unknown as RequestEvent;
}

async function run(call: () => unknown): Promise<Outcome> {
	try {
		const value = await call();
		if (isActionFailure(value)) {
			return { kind: 'failure', status: value.status, data: value.data };
		}
		return { kind: 'returned', value };
	} catch (thrown) {
		if (isRedirect(thrown)) {
			return { kind: 'redirect', status: thrown.status, location: thrown.location };
		}
		if (isHttpError(thrown)) {
			return { kind: 'error', status: thrown.status };
		}
		throw thrown;
	}
}

const words = 'Roundtable made our roadmap conversations calm and honest. Recommended!';
const input = (over: Partial<TestimonialInput> = {}): TestimonialInput => ({
	body: words,
	product: null,
	consent: true,
	consent_version: TESTIMONIAL_CONSENT_VERSION,
	...over
});

describe.each(backends)('testimonials on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	let staff: UserActor;
	let promoter9: UserActor;
	let promoter10: UserActor;
	let passive8: UserActor;
	let reviewer4: UserActor;
	let reviewer5: UserActor;
	let reviewer3: UserActor;
	let staffFan: UserActor;
	let lapsed: UserActor;
	let product: { id: number; slug: string; name: string };

	async function nps(person: UserActor, score: number, daysAgo = 1) {
		await db()
			.insertInto('survey_response')
			.values({
				user_id: person.id,
				kind: 'nps',
				score,
				created_at: new Date(Date.now() - daysAgo * 86_400_000)
			})
			.execute();
	}
	async function review(person: UserActor, rating: number) {
		const post = await db()
			.insertInto('post')
			.values({
				kind: 'review',
				product_id: product.id,
				author_id: person.id,
				title: `${rating} stars from ${person.handle}`
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db().insertInto('review').values({ post_id: post.id, rating }).execute();
		return post.id;
	}

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		staff = await createUser(db(), { role: 'staff' });
		product = await createProduct(db(), { name: 'Roadmaps' });
		promoter9 = await createUser(db(), { displayName: 'Nine Promoter' });
		promoter10 = await createUser(db(), { displayName: 'Ten Promoter' });
		passive8 = await createUser(db(), { displayName: 'Eight Passive' });
		reviewer4 = await createUser(db(), { displayName: 'Four Stars' });
		reviewer5 = await createUser(db(), { displayName: 'Five Stars' });
		reviewer3 = await createUser(db(), { displayName: 'Three Stars' });
		staffFan = await createUser(db(), { role: 'staff', displayName: 'Staff Fan' });
		lapsed = await createUser(db(), { displayName: 'Was A Promoter' });
		const company = await db()
			.insertInto('company')
			.values({ name: 'Acme Testimonials', slug: `acme-testimonials-${backend}` })
			.returning('id')
			.executeTakeFirstOrThrow();
		await db()
			.updateTable('app_user')
			.set({ company_id: company.id })
			.where('id', '=', promoter10.id)
			.execute();
		await nps(promoter9, 9);
		await nps(promoter10, 10);
		await nps(passive8, 8);
		await nps(staffFan, 10);
		// A promoter once, a detractor now: only the latest answer counts.
		await nps(lapsed, 10, 30);
		await nps(lapsed, 4, 2);
		await review(reviewer4, 4);
		await review(reviewer5, 5);
		await review(reviewer3, 3);
		await review(staffFan, 5);
	});
	afterAll(async () => {
		app.db = undefined;
		await handle?.close();
	});

	it('suggests promoters (9, 10) and 4–5 star reviewers, with the reason; not an 8, a 3, or staff', async () => {
		const candidates = await testimonialCandidates(db());
		const ids = candidates.map((c) => c.userId);
		expect(ids).toEqual(
			expect.arrayContaining([promoter9.id, promoter10.id, reviewer4.id, reviewer5.id])
		);
		for (const excluded of [passive8, reviewer3, staffFan, lapsed, staff]) {
			expect(ids).not.toContain(excluded.id);
		}
		const ten = candidates.find((c) => c.userId === promoter10.id)!;
		expect(ten.nps?.score).toBe(10);
		expect(ten.company).toBe('Acme Testimonials');
		const five = candidates.find((c) => c.userId === reviewer5.id)!;
		expect(five.nps).toBeNull();
		expect(five.reviews.map((r) => [r.rating, r.product?.slug])).toEqual([[5, product.slug]]);
	});

	it('invites a promoter once, tells them in the app and by mail job, and stops suggesting them', async () => {
		expect(
			await inviteToTestimonial(db(), promoter9, { member: promoter10.id, message: '' })
		).toEqual({ ok: false, reason: 'forbidden' });
		expect(await inviteToTestimonial(db(), staff, { member: passive8.id, message: '' })).toEqual({
			ok: false,
			reason: 'not_eligible'
		});
		const invited = await inviteToTestimonial(db(), staff, {
			member: promoter10.id,
			message: 'Would you say a few words?'
		});
		expect(invited.ok).toBe(true);
		const again = await inviteToTestimonial(db(), staff, { member: promoter10.id, message: '' });
		expect(again).toEqual({ ok: false, reason: 'not_eligible' });
		expect((await testimonialCandidates(db())).map((c) => c.userId)).not.toContain(promoter10.id);

		const notes = await db()
			.selectFrom('notification')
			.select(['id', 'kind', 'data', 'post_id'])
			.where('user_id', '=', promoter10.id)
			.execute();
		expect(notes).toHaveLength(1);
		expect(notes[0]).toMatchObject({
			kind: 'testimonial_invitation',
			post_id: null,
			data: { message: 'Would you say a few words?' }
		});
		const jobs = await sql<{ id: string }>`select data->>'notificationId' as id from pgboss.job
			where name = 'notification-email'`.execute(db());
		expect(jobs.rows.map((j) => Number(j.id))).toContain(notes[0]!.id);

		// The mail goes out (to the outbox here), unless the member turned these emails off.
		expect(await sendNotificationEmail(db(), notes[0]!.id)).toBe('sent');
		const mail = await db()
			.selectFrom('mail_outbox')
			.select(['subject', 'text_body'])
			.where('recipient', '=', promoter10.email)
			.executeTakeFirstOrThrow();
		expect(mail.text_body).toContain('Would you say a few words?');
		expect(mail.text_body).toContain(`/testimonials/invitations/${invited.ok ? invited.id : 0}`);
		const prefs = defaultEmailPreferences();
		prefs.events.testimonial_invitation = false;
		await saveEmailPreferences(db(), reviewer5.id, prefs);
		const quiet = await inviteToTestimonial(db(), staff, { member: reviewer5.id, message: '' });
		expect(quiet.ok).toBe(true);
		const quietNote = await db()
			.selectFrom('notification')
			.select('id')
			.where('user_id', '=', reviewer5.id)
			.executeTakeFirstOrThrow();
		expect(await sendNotificationEmail(db(), quietNote.id)).toBe('not_wanted');
		await saveEmailPreferences(db(), reviewer5.id, defaultEmailPreferences());
	});

	it('lets only the invited member read and write the invitation', async () => {
		const invited = await inviteToTestimonial(db(), staff, { member: reviewer4.id, message: '' });
		if (!invited.ok) {
			throw new Error('not invited');
		}
		const id = String(invited.id);
		const path = `/testimonials/invitations/${id}`;
		for (const other of [reviewer5, staff]) {
			expect(await run(() => invitationLoad(requestEvent(other, path, { id }) as never))).toEqual({
				kind: 'error',
				status: 404
			});
			expect(
				await run(() =>
					invitationActions.write(
						requestEvent(
							other,
							path,
							{ id },
							{
								body: words,
								consent: 'yes',
								consent_version: TESTIMONIAL_CONSENT_VERSION
							}
						) as never
					)
				)
			).toEqual({ kind: 'error', status: 404 });
		}
		expect(await writeTestimonial(db(), reviewer5, invited.id, input())).toEqual({
			ok: false,
			reason: 'not_found'
		});
		const row = await db()
			.selectFrom('testimonial')
			.select(['status', 'body_source'])
			.where('id', '=', invited.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'invited', body_source: null });

		// The member: a short text is refused with a message, and nothing changes.
		const short = await run(() =>
			invitationActions.write(requestEvent(reviewer4, path, { id }, { body: 'Too short' }) as never)
		);
		expect(short).toMatchObject({ kind: 'failure', status: 400 });
		const written = await run(() =>
			invitationActions.write(
				requestEvent(
					reviewer4,
					path,
					{ id },
					{
						body: words,
						product: String(product.id),
						consent: 'yes',
						consent_version: TESTIMONIAL_CONSENT_VERSION
					}
				) as never
			)
		);
		expect(written).toMatchObject({ kind: 'redirect', status: 303 });
		const [own] = await ownTestimonials(db(), reviewer4.id);
		expect(own).toMatchObject({ status: 'submitted', body: words, product: 'Roadmaps' });
		expect(own!.consentStanding).toBe(true);
		expect(own!.consentText).toContain('Four Stars');
	});

	it('refuses to publish without consent (nothing stored), publishes with it, and withdrawal removes it everywhere', async () => {
		const invited = await inviteToTestimonial(db(), staff, { member: promoter9.id, message: '' });
		if (!invited.ok) {
			throw new Error('not invited');
		}
		// Written without consent: staff cannot publish it, through the domain or the page.
		expect(await writeTestimonial(db(), promoter9, invited.id, input({ consent: false }))).toEqual({
			ok: true,
			status: 'submitted'
		});
		expect(await publishTestimonial(db(), staff, invited.id)).toEqual({
			ok: false,
			reason: 'no_consent'
		});
		const refused = await run(() =>
			staffActions.publish(
				requestEvent(staff, '/staff/testimonials', {}, { testimonial: String(invited.id) }) as never
			)
		);
		expect(refused).toMatchObject({ kind: 'failure', status: 409 });
		const stored = await db()
			.selectFrom('testimonial')
			.select(['status', 'published_at'])
			.where('id', '=', invited.id)
			.executeTakeFirstOrThrow();
		expect(stored).toEqual({ status: 'submitted', published_at: null });
		expect(await listPublishedTestimonials(db())).toEqual([]);

		// With consent to a wording that is not the current one: refused too.
		expect(
			await writeTestimonial(db(), promoter9, invited.id, input({ consent_version: 'old' }))
		).toEqual({ ok: false, reason: 'consent_outdated' });

		// With consent: a member cannot publish it, staff can.
		await writeTestimonial(db(), promoter9, invited.id, input({ product: product.id }));
		expect(await publishTestimonial(db(), promoter9, invited.id)).toEqual({
			ok: false,
			reason: 'forbidden'
		});
		const published = await run(() =>
			staffActions.publish(
				requestEvent(staff, '/staff/testimonials', {}, { testimonial: String(invited.id) }) as never
			)
		);
		expect(published.kind).not.toBe('failure');
		expect(await publishTestimonial(db(), staff, invited.id)).toEqual({
			ok: false,
			reason: 'already_published'
		});

		const [shown] = await listPublishedTestimonials(db());
		expect(shown).toMatchObject({
			quote: words,
			name: 'Nine Promoter',
			company: null,
			product: { name: 'Roadmaps', slug: product.slug }
		});
		const json = async (query = '') => {
			const response = await testimonialsJson(
				requestEvent({ kind: 'anonymous' }, `/testimonials.json${query}`, {}) as never
			);
			return { response, body: (await response.json()) as { testimonials: object[] } };
		};
		const { response, body } = await json();
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
		expect(body.testimonials).toHaveLength(1);
		const text = JSON.stringify(body);
		expect(text).toContain('Nine Promoter');
		for (const secret of [promoter9.email, '"score"', 'tier', 'mrr', 'email']) {
			expect(text).not.toContain(secret);
		}
		expect(Object.keys(body.testimonials[0]!).sort()).toEqual(
			['company', 'id', 'name', 'product', 'publishedAt', 'quote', 'quoteHtml'].sort()
		);
		expect((await json(`?product=${product.slug}`)).body.testimonials).toHaveLength(1);
		expect((await json('?product=nothing-here')).body.testimonials).toHaveLength(0);
		const page = (await publicLoad(
			requestEvent({ kind: 'anonymous' }, '/testimonials', {}) as never
		)) as { testimonials: { name: string }[] };
		expect(page.testimonials.map((t) => t.name)).toEqual(['Nine Promoter']);

		// Another member cannot withdraw it; the member can, from their settings.
		const notTheirs = await run(() =>
			settingsActions.withdraw(
				requestEvent(
					reviewer5,
					'/settings/testimonials',
					{},
					{
						testimonial: String(invited.id)
					}
				) as never
			)
		);
		expect(notTheirs).toEqual({ kind: 'error', status: 404 });
		expect(await listPublishedTestimonials(db())).toHaveLength(1);
		const withdrawn = await run(() =>
			settingsActions.withdraw(
				requestEvent(
					promoter9,
					'/settings/testimonials',
					{},
					{
						testimonial: String(invited.id)
					}
				) as never
			)
		);
		expect(withdrawn.kind).not.toBe('failure');
		expect(await listPublishedTestimonials(db())).toEqual([]);
		expect((await json()).body.testimonials).toEqual([]);
		const staffView = await listTestimonialsForStaff(db(), staff);
		expect(staffView.find((t) => t.id === invited.id)).toMatchObject({
			status: 'withdrawn',
			publishedAt: null,
			consentStanding: false
		});
		const publishedFilter = await listTestimonialsForStaff(db(), staff, { status: 'published' });
		expect(publishedFilter.find((t) => t.id === invited.id)?.status).toBe('withdrawn');
		expect(await publishTestimonial(db(), staff, invited.id)).toEqual({
			ok: false,
			reason: 'no_consent'
		});
		expect(await withdrawTestimonialConsent(db(), promoter9, invited.id)).toEqual({
			ok: false,
			reason: 'no_consent'
		});

		// The member's own export carries the testimonial and its consent record.
		const data = await exportOwnData(db(), promoter9.id);
		expect(data.testimonials).toEqual([
			expect.objectContaining({
				status: 'withdrawn',
				body: words,
				consentVersion: TESTIMONIAL_CONSENT_VERSION
			})
		]);
		expect(JSON.stringify(data.testimonials)).not.toContain('"score"');
	});

	it('takes a published testimonial back for review when its member edits it; staff unpublish', async () => {
		// Invited in the mail test above (with the emails turned off).
		const [invited] = await ownTestimonials(db(), reviewer5.id);
		if (!invited) {
			throw new Error('not invited');
		}
		await writeTestimonial(db(), reviewer5, invited.id, input());
		expect(await publishTestimonial(db(), staff, invited.id)).toEqual({ ok: true });
		expect(await writeTestimonial(db(), reviewer5, invited.id, input())).toEqual({
			ok: true,
			status: 'published'
		});
		expect(
			await writeTestimonial(db(), reviewer5, invited.id, input({ body: `${words} Truly.` }))
		).toEqual({ ok: true, status: 'submitted' });
		expect((await listPublishedTestimonials(db())).map((t) => t.name).includes('Five Stars')).toBe(
			false
		);
		expect(await publishTestimonial(db(), staff, invited.id)).toEqual({ ok: true });
		expect(await unpublishTestimonial(db(), reviewer5, invited.id)).toEqual({
			ok: false,
			reason: 'forbidden'
		});
		expect(await unpublishTestimonial(db(), staff, invited.id)).toEqual({ ok: true });
		expect(await unpublishTestimonial(db(), staff, invited.id)).toEqual({
			ok: false,
			reason: 'not_published'
		});
		expect(await listPublishedTestimonials(db())).toEqual([]);
	});

	it('records the consent in the words the member read, in their language', async () => {
		const german = await createUser(db(), { displayName: 'Greta Deutsch' });
		await nps(german, 10);
		const invited = await inviteToTestimonial(db(), staff, { member: german.id, message: '' });
		if (!invited.ok) {
			throw new Error('not invited');
		}
		await withLocale('de', () => writeTestimonial(db(), german, invited.id, input()));
		const [own] = await ownTestimonials(db(), german.id);
		expect(own!.consentText).toContain('Ich bin einverstanden');
		expect(own!.consentText).toContain('„Greta Deutsch“');
		// Read inside the request's language, as parseForm does (zod builds the error on access).
		const message = withLocale(
			'de',
			() => testimonialSchema.safeParse({ body: 'kurz' }).error?.issues[0]?.message
		);
		expect(message).toBe('Schreiben Sie zwischen 20 und 1.000 Zeichen.');
	});
});
