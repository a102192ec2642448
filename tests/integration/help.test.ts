// Private help threads on both databases. Above all, privacy: a thread with a distinctive marker
// in its subject and body is refused (404, like a thread that does not exist) to another member,
// a visitor and an unshared colleague, and the marker appears nowhere public — idea and
// discussion lists and search (pages and API), the Atom feed, the author's profile, the
// leaderboard, other people's notifications, webhook events, the activity ledger. Then sharing,
// official answers and who is told (in the app and by email), states, proposals and conversion
// with the author's consent, rate limits, bad input, and the member's own data download.
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { WEBHOOK_EVENTS } from '$lib/domain/webhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle, Db } from '$lib/server/db/index';
import { exportOwnData } from '$lib/server/customers/export';
import { leaderboard } from '$lib/server/customers/points';
import { saveCategory } from '$lib/server/discussions';
import { postIdea } from '$lib/server/ideas';
import { sendNotificationEmail } from '$lib/server/email/mailer';
import {
	closeHelpThread,
	convertHelpThread,
	declineHelpProposal,
	getHelpThread,
	helpInbox,
	listHelpThreads,
	postHelpMessage,
	proposeHelpConversion,
	setHelpSharing,
	startHelpThread
} from '$lib/server/help';
import { listNotifications, openNotification } from '$lib/server/notifications';
import { anonymous, type Actor, type UserActor } from '$lib/server/policy';
import { createProduct, createUser } from '../helpers/factories';
import { apiCaller, tokenFor } from '../helpers/api';
import { backends, createTestDatabase } from '../helpers/test-db';
import {
	load as threadLoad,
	actions as threadActions
} from '../../src/routes/help/[id]/+page.server';
import { load as listLoad } from '../../src/routes/help/+page.server';
import { actions as newActions } from '../../src/routes/help/new/+page.server';
import { load as inboxLoad } from '../../src/routes/staff/help/+page.server';
import { load as ideasLoad } from '../../src/routes/ideas/+page.server';
import { load as discussionsLoad } from '../../src/routes/discussions/+page.server';
import { load as profileLoad } from '../../src/routes/people/[handle]/+page.server';
import { load as leaderboardLoad } from '../../src/routes/leaderboard/+page.server';
import { GET as changelogAtom } from '../../src/routes/changelog.atom/+server';

const app = vi.hoisted(() => ({
	db: undefined as Db | undefined,
	handle: undefined as DatabaseHandle | undefined
}));
vi.mock('$lib/server/db/app', () => ({
	getDb: () => {
		if (!app.db) {
			throw new Error('no test database');
		}
		return app.db;
	},
	getDatabase: () => {
		if (!app.handle) {
			throw new Error('no test database');
		}
		return app.handle;
	}
}));

const MARKER = 'Zqxprivate7731';
let sequence = 0;

function pageEvent(actor: Actor, path: string, params: Record<string, string> = {}) {
	const url = new URL(`http://localhost${path}`);
	return {
		params,
		url,
		locals: { actor, sessionId: 'none' },
		setHeaders: () => {},
		getClientAddress: () => '203.0.113.9',
		request: new Request(url)
	} as unknown as RequestEvent as never;
}

function formEvent(
	actor: Actor,
	path: string,
	fields: Record<string, string>,
	params: Record<string, string> = {}
) {
	const url = new URL(`http://localhost${path}`);
	const headers: Record<string, string> = {};
	return {
		params,
		url,
		locals: { actor, sessionId: 'none' },
		setHeaders: (h: Record<string, string>) => Object.assign(headers, h),
		getClientAddress: () => '203.0.113.9',
		request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) }),
		headers
	} as unknown as RequestEvent as never;
}

/** The HTTP status a load or action ends with when it throws (404, 403, a redirect's 303). */
async function statusOf(run: () => Promise<unknown>): Promise<number | 'ok'> {
	try {
		await run();
		return 'ok';
	} catch (e) {
		if (isHttpError(e)) {
			return e.status;
		}
		if (isRedirect(e)) {
			return e.status;
		}
		throw e;
	}
}

describe.each(backends)('private help threads on %s', (backend) => {
	let handle: DatabaseHandle;
	const db = () => handle.db;
	let author: UserActor;
	let colleague: UserActor;
	let stranger: UserActor;
	let staff: UserActor;
	let companyId: number;
	let productId: number;
	let categoryId: number;
	let privateId: number;

	async function company(name: string): Promise<number> {
		const row = await db()
			.insertInto('company')
			.values({ name, slug: `${name.toLowerCase()}-${backend}-${sequence++}` })
			.returning('id')
			.executeTakeFirstOrThrow();
		return row.id;
	}
	async function join(user: UserActor, id: number | null) {
		await db().updateTable('app_user').set({ company_id: id }).where('id', '=', user.id).execute();
	}
	async function start(actor: UserActor, subject: string, body: string, shared = false) {
		const result = await startHelpThread(db(), actor, {
			subject,
			body,
			product: productId,
			shared
		});
		if (!result.ok) {
			throw new Error(`thread refused: ${JSON.stringify(result)}`);
		}
		return result.id;
	}

	beforeAll(async () => {
		handle = await createTestDatabase(backend);
		app.db = handle.db;
		app.handle = handle;
		author = await createUser(db(), { handle: `ada_${backend}`, displayName: 'Ada Asker' });
		colleague = await createUser(db(), { handle: `cole_${backend}` });
		stranger = await createUser(db(), { handle: `stan_${backend}` });
		staff = await createUser(db(), { role: 'staff', handle: `sam_${backend}` });
		const admin = await createUser(db(), { role: 'admin' });
		companyId = await company('Acme');
		await join(author, companyId);
		await join(colleague, companyId);
		await join(stranger, await company('Globex'));
		productId = (await createProduct(db(), { name: 'Dashboards' })).id;
		const saved = await saveCategory(db(), admin, {
			name: 'Questions',
			slug: `questions-${backend}`,
			description: '',
			product: null,
			position: 0
		});
		if (!saved.ok) {
			throw new Error('category refused');
		}
		categoryId = saved.category.id;
		// A webhook that wants every event, so any event the help code emitted would be stored.
		await db()
			.insertInto('webhook')
			.values({
				url: 'https://hooks.example.com/all',
				description: 'everything',
				secret: 'x'.repeat(32),
				events: [...WEBHOOK_EVENTS],
				created_by_id: admin.id
			})
			.execute();

		const control = await postIdea(db(), stranger, {
			title: 'Public Zqxpublic5512 idea',
			body: 'A public control for the searches below.',
			product: productId,
			tags: []
		});
		expect(control.ok).toBe(true);

		privateId = await start(
			author,
			`Invoice ${MARKER} is wrong`,
			`Our invoice mentions ${MARKER}; please check our account.`
		);
		const answer = await postHelpMessage(
			db(),
			staff,
			privateId,
			`We fixed invoice ${MARKER} for you.`
		);
		expect(answer).toMatchObject({ ok: true, status: 'answered' });
	});
	afterAll(async () => {
		app.db = undefined;
		app.handle = undefined;
		await handle?.close();
	});

	describe('who can load the thread', () => {
		it('answers 404 to another member, a visitor and a colleague while it is not shared', async () => {
			const params = { id: String(privateId) };
			for (const actor of [stranger, anonymous, colleague] as Actor[]) {
				expect(
					await statusOf(() => threadLoad(pageEvent(actor, `/help/${privateId}`, params)))
				).toBe(404);
			}
			// The same answer as for a thread that does not exist.
			expect(
				await statusOf(() => threadLoad(pageEvent(stranger, '/help/999999', { id: '999999' })))
			).toBe(404);
		});

		it('refuses their writes with 404 too, and changes nothing', async () => {
			const params = { id: String(privateId) };
			for (const actor of [stranger, anonymous, colleague] as Actor[]) {
				for (const [name, fields] of [
					['reply', { body: 'let me in' }],
					['close', {}],
					['share', { shared: 'on' }],
					['convert', { kind: 'discussion', category: String(categoryId) }],
					['propose', { kind: 'idea' }]
				] as const) {
					const action = threadActions[name];
					expect(
						await statusOf(() =>
							action(formEvent(actor, `/help/${privateId}`, fields, params) as never)
						)
					).toBe(404);
				}
			}
			const thread = await getHelpThread(db(), privateId);
			expect(thread).toMatchObject({
				status: 'answered',
				sharedWithCompany: false,
				converted: null
			});
			expect(thread!.messages).toHaveLength(2);
		});

		it('lets the author and staff read it, with the staff answer marked official', async () => {
			for (const actor of [author, staff]) {
				const data = (await threadLoad(
					pageEvent(actor, `/help/${privateId}`, { id: String(privateId) })
				)) as { thread: { messages: { official: boolean; bodyHtml: string }[] } };
				expect(data.thread.messages.map((m) => m.official)).toEqual([false, true]);
				expect(data.thread.messages[1]!.bodyHtml).toContain(MARKER);
			}
		});

		it('keeps it out of other members’ lists', async () => {
			for (const actor of [stranger, colleague]) {
				expect(JSON.stringify(await listHelpThreads(db(), actor))).not.toContain(MARKER);
			}
			expect((await listHelpThreads(db(), author)).map((t) => t.id)).toContain(privateId);
		});
	});

	describe('the marker appears nowhere public', () => {
		it('is not in idea or discussion lists and searches, the feed, the profile or the leaderboard', async () => {
			const surfaces: Record<string, unknown> = {};
			for (const [who, actor] of [
				['visitor', anonymous],
				['stranger', stranger],
				['author', author]
			] as const) {
				surfaces[`ideas ${who}`] = await ideasLoad(pageEvent(actor, '/ideas') as never);
				// The search page echoes the query: what it found is what must not carry the marker.
				surfaces[`idea search ${who}`] = (
					(await ideasLoad(pageEvent(actor, `/ideas?q=${MARKER}`) as never)) as { ideas: unknown }
				).ideas;
				surfaces[`discussions ${who}`] = await discussionsLoad(
					pageEvent(actor, '/discussions') as never
				);
				surfaces[`profile ${who}`] = await profileLoad(
					pageEvent(actor, `/people/${author.handle}`, { handle: author.handle }) as never
				);
				surfaces[`leaderboard ${who}`] = await leaderboardLoad(
					pageEvent(actor, '/leaderboard?period=all') as never
				);
			}
			surfaces.board = await leaderboard(db(), { period: 'all' });
			const feed = await changelogAtom(pageEvent(anonymous, '/changelog.atom') as never);
			surfaces.atom = await feed.text();
			for (const [where, value] of Object.entries(surfaces)) {
				expect(JSON.stringify(value), where).not.toContain(MARKER);
			}
			// The same search finds public words: it would have found the marker were it public.
			const found = (await ideasLoad(pageEvent(anonymous, '/ideas?q=Zqxpublic5512') as never)) as {
				ideas: { title: string }[];
			};
			expect(found.ideas.map((i) => i.title)).toEqual(['Public Zqxpublic5512 idea']);
		});

		it('is not in the API’s idea and discussion listings or search, for members or tokens', async () => {
			const token = await tokenFor(() => handle, stranger, ['read']);
			for (const caller of [
				apiCaller(() => handle),
				apiCaller(() => handle, { token }),
				apiCaller(() => handle, { session: author })
			]) {
				const answers = [
					await caller.op('listIdeas'),
					await caller.op('searchIdeas', { query: { q: MARKER } }),
					await caller.op('listDiscussions')
				];
				const control = await caller.op('searchIdeas', { query: { q: 'Zqxpublic5512' } });
				expect(JSON.stringify(control.body)).toContain('Zqxpublic5512');
				for (const answer of answers) {
					expect(answer.status).toBe(200);
					expect(JSON.stringify(answer.body)).not.toContain(MARKER);
				}
			}
		});

		it('is not in other people’s notifications, webhook events, the ledger or mail', async () => {
			for (const user of [stranger, colleague]) {
				const { items } = await listNotifications(db(), user.id);
				expect(items).toEqual([]);
			}
			const tables = await Promise.all([
				db().selectFrom('webhook_event').selectAll().execute(),
				db().selectFrom('activity').selectAll().execute(),
				db().selectFrom('post').select(['title', 'body_source']).execute(),
				db().selectFrom('comment').select(['body_source']).execute(),
				db().selectFrom('notification').selectAll().execute(),
				db().selectFrom('audit_log').selectAll().execute()
			]);
			for (const rows of tables) {
				expect(JSON.stringify(rows)).not.toContain(MARKER);
			}
			// Only the public control idea's event was emitted.
			expect(
				(await db().selectFrom('webhook_event').select('type').execute()).map((e) => e.type)
			).toEqual(['idea.created']);
		});
	});

	describe('sharing with the company', () => {
		it('lets a colleague read and reply once shared, not a member of another company; unsharing ends it', async () => {
			const id = await start(author, 'Export limits', 'How many rows can an export hold?');
			const params = { id: String(id) };
			expect(await statusOf(() => threadLoad(pageEvent(colleague, `/help/${id}`, params)))).toBe(
				404
			);

			expect(await setHelpSharing(db(), author, id, true)).toMatchObject({ ok: true });
			expect(await statusOf(() => threadLoad(pageEvent(colleague, `/help/${id}`, params)))).toBe(
				'ok'
			);
			expect(await statusOf(() => threadLoad(pageEvent(stranger, `/help/${id}`, params)))).toBe(
				404
			);
			expect((await listHelpThreads(db(), colleague)).map((t) => t.id)).toContain(id);
			expect(await postHelpMessage(db(), colleague, id, 'Same question here.')).toMatchObject({
				ok: true,
				status: 'open'
			});
			// Only the author decides on sharing.
			expect(await setHelpSharing(db(), colleague, id, false)).toEqual({
				ok: false,
				reason: 'forbidden'
			});

			expect(await setHelpSharing(db(), author, id, false)).toMatchObject({ ok: true });
			expect(await statusOf(() => threadLoad(pageEvent(colleague, `/help/${id}`, params)))).toBe(
				404
			);
			expect((await listHelpThreads(db(), colleague)).map((t) => t.id)).not.toContain(id);
			const events = (await getHelpThread(db(), id))!.events.map((e) => [e.kind, e.actor?.handle]);
			expect(events).toEqual([
				['shared', author.handle],
				['unshared', author.handle]
			]);
		});

		it('ends a colleague’s access when they leave the company', async () => {
			const leaver = await createUser(db());
			await join(leaver, companyId);
			const id = await start(author, 'Seat count', 'We need more seats.', true);
			const params = { id: String(id) };
			expect(await statusOf(() => threadLoad(pageEvent(leaver, `/help/${id}`, params)))).toBe('ok');
			await join(leaver, null);
			expect(await statusOf(() => threadLoad(pageEvent(leaver, `/help/${id}`, params)))).toBe(404);
		});
	});

	describe('answers and who is told', () => {
		it('tells the author and shared participants, by notification and email, and nobody else', async () => {
			const id = await start(author, 'SSO setup', 'Our SSO login loops.', true);
			await postHelpMessage(db(), colleague, id, 'It loops for me too.');
			const bystander = await createUser(db());
			await join(bystander, companyId); // a colleague who never took part
			const before = await db().selectFrom('notification').select('id').execute();
			await postHelpMessage(db(), staff, id, 'Fixed the redirect URI on our side.');
			const rows = await db()
				.selectFrom('notification')
				.selectAll()
				.where('id', 'not in', before.length ? before.map((r) => r.id) : [0])
				.execute();
			expect(rows.map((r) => r.user_id).sort()).toEqual([author.id, colleague.id].sort());
			expect(rows.every((r) => r.kind === 'help_reply' && r.help_thread_id === id)).toBe(true);
			expect(rows.every((r) => r.post_id === null && JSON.stringify(r.data) === '{}')).toBe(true);

			// Before the email goes out, the author stops sharing: the colleague gets no email.
			await setHelpSharing(db(), author, id, false);
			const outcomes = Object.fromEntries(
				await Promise.all(
					rows.map(async (r) => [r.user_id, await sendNotificationEmail(db(), r.id)] as const)
				)
			);
			expect(outcomes).toEqual({ [author.id]: 'sent', [colleague.id]: 'not_visible' });
			const mail = await db()
				.selectFrom('mail_outbox')
				.selectAll()
				.where('subject', 'like', '%SSO setup%')
				.execute();
			expect(mail.map((m) => m.recipient)).toEqual([author.email]);
			expect(mail[0]!.text_body).toContain('Fixed the redirect URI');

			// The inbox entry opens the thread.
			const [mine] = (await listNotifications(db(), author.id)).items;
			expect(mine).toMatchObject({ kind: 'help_reply', helpThreadId: id });
			expect(await openNotification(db(), author.id, mine!.id)).toBe(`/help/${id}`);
			expect(await openNotification(db(), stranger.id, mine!.id)).toBeNull();
		});

		it('moves through open, answered and closed; a member’s message reopens a closed thread', async () => {
			const id = await start(author, 'Billing date', 'Can we move our billing date?');
			expect((await getHelpThread(db(), id))!.status).toBe('open');
			await postHelpMessage(db(), staff, id, 'Yes, tell us which day.');
			expect((await getHelpThread(db(), id))!.status).toBe('answered');
			expect(await closeHelpThread(db(), stranger, id)).toEqual({ ok: false, reason: 'not_found' });
			expect(await closeHelpThread(db(), author, id)).toEqual({ ok: true, status: 'closed' });
			expect(await closeHelpThread(db(), author, id)).toEqual({ ok: false, reason: 'forbidden' });
			expect(await postHelpMessage(db(), author, id, 'The 15th, please.')).toMatchObject({
				ok: true,
				status: 'open'
			});
			const thread = (await getHelpThread(db(), id))!;
			expect(thread.events.map((e) => e.kind)).toEqual(['closed', 'reopened']);
		});

		it('refuses a suspended author’s messages but still lets them read', async () => {
			const suspended = await createUser(db());
			const id = await start(suspended, 'Account access', 'I cannot change my email.');
			await db()
				.updateTable('app_user')
				.set({ suspended_until: new Date(Date.now() + 86_400_000) })
				.where('id', '=', suspended.id)
				.execute();
			const actor = { ...suspended, suspendedUntil: new Date(Date.now() + 86_400_000) };
			const params = { id: String(id) };
			expect(await statusOf(() => threadLoad(pageEvent(actor, `/help/${id}`, params)))).toBe('ok');
			expect(
				await statusOf(() =>
					threadActions.reply(formEvent(actor, `/help/${id}`, { body: 'hello?' }, params) as never)
				)
			).toBe(403);
		});

		it('lists open threads for staff oldest waiting first, with member and company', async () => {
			const inbox = await helpInbox(db(), { status: 'open' });
			const waits = inbox.rows.map((r) => r.waitingSince!.getTime());
			expect(waits).toEqual([...waits].sort((a, b) => a - b));
			const data = (await inboxLoad(pageEvent(staff, '/staff/help?status=answered') as never)) as {
				rows: { id: number; member: { handle: string }; company: { name: string } | null }[];
			};
			expect(data.rows.find((r) => r.id === privateId)).toMatchObject({
				member: { handle: author.handle },
				company: { name: 'Acme' }
			});
			for (const actor of [author, anonymous] as Actor[]) {
				expect(await statusOf(() => inboxLoad(pageEvent(actor, '/staff/help') as never))).not.toBe(
					'ok'
				);
			}
		});
	});

	describe('publishing, only with the author’s consent', () => {
		it('takes a staff proposal the author may decline; nothing becomes public', async () => {
			const id = await start(author, 'Dark mode for reports', 'Reports are hard to read at night.');
			expect(await proposeHelpConversion(db(), author, id, 'idea')).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await proposeHelpConversion(db(), staff, id, 'idea')).toEqual({ ok: true });
			const posts = await db().selectFrom('post').select('id').execute();
			expect(await declineHelpProposal(db(), staff, id)).toEqual({
				ok: false,
				reason: 'forbidden'
			});
			expect(await declineHelpProposal(db(), author, id)).toEqual({ ok: true });
			expect(await db().selectFrom('post').select('id').execute()).toHaveLength(posts.length);
			const thread = (await getHelpThread(db(), id))!;
			expect(thread.proposal).toBeNull();
			expect(thread.events.map((e) => [e.kind, e.actor?.handle, e.data.kind])).toEqual([
				['proposed', staff.handle, 'idea'],
				['declined', author.handle, 'idea']
			]);
		});

		it('publishes the first message only, once, as the author’s discussion', async () => {
			const id = await start(author, 'How do you share dashboards?', 'Looking for team tips.');
			await postHelpMessage(db(), staff, id, 'Zqxstaffonly: internal pointer for you.');
			await proposeHelpConversion(db(), staff, id, 'discussion');
			// Staff cannot publish it themselves, even with a proposal.
			expect(
				await convertHelpThread(db(), staff, id, {
					kind: 'discussion',
					title: '',
					category: String(categoryId),
					product: ''
				})
			).toEqual({ ok: false, reason: 'forbidden' });

			const result = await statusOf(() =>
				threadActions.convert(
					formEvent(
						author,
						`/help/${id}`,
						{ kind: 'discussion', title: '', category: String(categoryId) },
						{ id: String(id) }
					) as never
				)
			);
			expect(result).toBe(303);
			const thread = (await getHelpThread(db(), id))!;
			expect(thread.converted).toMatchObject({ kind: 'discussion', by: { handle: author.handle } });
			const post = await db()
				.selectFrom('post')
				.selectAll()
				.where('id', '=', thread.converted!.postId!)
				.executeTakeFirstOrThrow();
			expect(post).toMatchObject({
				kind: 'discussion',
				author_id: author.id,
				title: 'How do you share dashboards?',
				body_source: 'Looking for team tips.'
			});
			expect(JSON.stringify(await db().selectFrom('comment').selectAll().execute())).not.toContain(
				'Zqxstaffonly'
			);
			expect(thread.events.at(-1)).toMatchObject({
				kind: 'converted',
				data: { kind: 'discussion', postId: post.id, accepted: true }
			});
			expect(
				await convertHelpThread(db(), author, id, {
					kind: 'idea',
					title: '',
					category: '',
					product: String(productId)
				})
			).toEqual({ ok: false, reason: 'already' });
		});

		it('refuses a bad choice with field errors and leaves the thread unpublished', async () => {
			const id = await start(author, 'Idea for exports', 'Please add Parquet exports.');
			const event = formEvent(
				author,
				`/help/${id}`,
				{ kind: 'idea', title: 'x', product: '' },
				{ id: String(id) }
			);
			const answer = (await threadActions.convert(event as never)) as {
				status: number;
				data: { errors: Record<string, string> };
			};
			expect(answer.status).toBe(400);
			expect(Object.keys(answer.data.errors).sort()).toEqual(['product', 'title']);
			expect((await getHelpThread(db(), id))!.converted).toBeNull();

			const ok = await convertHelpThread(db(), author, id, {
				kind: 'idea',
				title: 'Parquet exports',
				category: '',
				product: String(productId)
			});
			expect(ok).toMatchObject({ ok: true });
			const post = await db()
				.selectFrom('post')
				.select(['kind', 'title', 'product_id'])
				.where('id', '=', ok.ok ? ok.postId : 0)
				.executeTakeFirstOrThrow();
			expect(post).toEqual({ kind: 'idea', title: 'Parquet exports', product_id: productId });
		});
	});

	describe('starting a thread', () => {
		it('refuses bad input per field with 400 and stores nothing', async () => {
			const count = async () =>
				(await db().selectFrom('help_thread').select('id').execute()).length;
			const before = await count();
			const answer = (await newActions.default(
				formEvent(author, '/help/new', { subject: 'x', body: '', product: 'abc' }) as never
			)) as { status: number; data: { errors: Record<string, string> } };
			expect(answer.status).toBe(400);
			expect(Object.keys(answer.data.errors).sort()).toEqual(['body', 'product', 'subject']);
			expect(await count()).toBe(before);
		});

		it('shares only when asked and the member has a company', async () => {
			const loner = await createUser(db());
			const solo = await startHelpThread(db(), loner, {
				subject: 'No company',
				body: 'Hello',
				product: null,
				shared: true
			});
			expect((await getHelpThread(db(), solo.ok ? solo.id : 0))!.sharedWithCompany).toBe(false);
		});

		it('limits how many threads a member starts in an hour (429)', async () => {
			const busy = await createUser(db());
			const statuses: (number | 'ok')[] = [];
			for (let i = 0; i < 6; i++) {
				statuses.push(
					await statusOf(async () => {
						const answer = await newActions.default(
							formEvent(busy, '/help/new', { subject: `Question ${i}`, body: 'Body' }) as never
						);
						if (answer && typeof answer === 'object' && 'status' in answer) {
							throw Object.assign(new Error('fail'), { status: answer.status });
						}
					}).catch((e: { status: number }) => e.status)
				);
			}
			expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
		});
	});

	describe('the member’s own data', () => {
		it('includes their own threads with the answers, not colleagues’ shared ones', async () => {
			const mine = await exportOwnData(db(), author.id);
			const thread = mine.helpThreads.find((t) => t.id === privateId) as {
				messages: { body: string; official: boolean }[];
			};
			expect(thread.messages.map((m) => m.official)).toEqual([false, true]);
			expect(JSON.stringify(thread)).toContain(MARKER);
			await setHelpSharing(db(), author, privateId, true);
			const theirs = await exportOwnData(db(), colleague.id);
			expect(JSON.stringify(theirs)).not.toContain(MARKER);
			await setHelpSharing(db(), author, privateId, false);
		});

		it('shows the member’s list at /help with their threads', async () => {
			const data = (await listLoad(pageEvent(author, '/help') as never)) as {
				threads: { id: number }[];
				company: { name: string } | null;
			};
			expect(data.threads.map((t) => t.id)).toContain(privateId);
			expect(data.company).toMatchObject({ name: 'Acme' });
		});
	});
});
