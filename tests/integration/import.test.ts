// Importing CSV exports on both databases, with the sample files in tests/fixtures/import: a dry
// run reports exactly what a real run then creates (and creates nothing itself), bad rows are
// reported by line and leave nothing behind, original dates and links are kept, and importing
// the same file again creates nothing.
import fs from 'node:fs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_PASSWORD, runImport, type ImportReport } from '$lib/server/import';
import type { UserActor } from '$lib/server/policy';
import { createProduct, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

const fixture = (name: string) => fs.readFileSync(`tests/fixtures/import/${name}`, 'utf8');

describe.each(backends)('import on %s', (backend) => {
	const t = useTestDatabase(backend);
	let admin: UserActor;
	let productId: number;

	beforeAll(async () => {
		admin = await createUser(t.db, { role: 'admin' });
		productId = (await createProduct(t.db, { name: 'Import target' })).id;
	});

	async function run(name: string, dryRun: boolean): Promise<ImportReport> {
		const result = await runImport(t.db, admin, {
			text: fixture(name),
			defaultProductId: productId,
			dryRun
		});
		if (!result.ok) {
			throw new Error(JSON.stringify(result));
		}
		return result.report;
	}

	async function ideaByTitle(title: string) {
		return t.db
			.selectFrom('post')
			.innerJoin('idea_status', 'idea_status.id', 'post.status_id')
			.select([
				'post.id',
				'post.author_id',
				'post.vote_count',
				'post.comment_count',
				'post.created_at',
				'post.product_id',
				'idea_status.slug as status'
			])
			.where('post.title', '=', title)
			.execute();
	}

	it('our own format: dry run, then the same counts for real, then nothing on re-import', async () => {
		// Jon already has an account: matched by email, case aside.
		const jon = await t.db
			.insertInto('app_user')
			.values({
				email: 'jon.import@example.com',
				handle: 'jon_here',
				display_name: 'Jon',
				password_hash: 'x'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const usersBefore = await t.db.selectFrom('app_user').select('id').execute();

		// 8 rows: 2 ideas (Iris new, Jon existing), 3 votes (Kim new), 1 comment, a vote for an
		// idea that is nowhere (line 8) and a comment with no body (line 9).
		const expected = {
			rows: 8,
			created: { users: 2, ideas: 2, votes: 3, comments: 1 },
			alreadyImported: 0,
			skipped: [],
			errors: [
				{ line: 8, message: 'No idea “r9” in this file or an earlier import.' },
				{ line: 9, message: 'A comment needs a body.' }
			]
		};
		const dry = await run('roundtable.csv', true);
		expect(dry).toMatchObject({ ...expected, dryRun: true, format: 'roundtable' });
		expect(dry.ideas).toEqual([
			{ line: 2, title: 'Offline mode for the mobile app', status: 'Planned', votes: 2 },
			{ line: 3, title: 'Bulk edit of tickets', status: 'Open', votes: 1 }
		]);
		// The dry run created nothing.
		expect(await ideaByTitle('Offline mode for the mobile app')).toEqual([]);
		expect(await t.db.selectFrom('app_user').select('id').execute()).toHaveLength(
			usersBefore.length
		);
		expect(await t.db.selectFrom('import_record').select('source').execute()).toEqual([]);

		const real = await run('roundtable.csv', false);
		expect(real).toMatchObject({ ...expected, dryRun: false });

		const [offline] = await ideaByTitle('Offline mode for the mobile app');
		const [bulk] = await ideaByTitle('Bulk edit of tickets');
		expect(offline).toMatchObject({
			vote_count: 2,
			comment_count: 1,
			status: 'planned',
			product_id: productId,
			created_at: new Date('2024-04-02T09:00:00Z')
		});
		expect(bulk).toMatchObject({
			vote_count: 1,
			comment_count: 0,
			status: 'open',
			author_id: jon.id
		});

		const kim = await t.db
			.selectFrom('app_user')
			.select(['id', 'password_hash', 'display_name', 'role'])
			.where('email', '=', 'kim.import@example.com')
			.executeTakeFirstOrThrow();
		expect(kim).toMatchObject({
			password_hash: NO_PASSWORD,
			display_name: 'Kim Import',
			role: 'member'
		});
		const kimVotes = await t.db
			.selectFrom('vote')
			.select(['post_id', 'created_at'])
			.where('user_id', '=', kim.id)
			.orderBy('created_at')
			.execute();
		expect(kimVotes).toEqual([
			{ post_id: offline!.id, created_at: new Date('2024-04-04T08:00:00Z') },
			{ post_id: bulk!.id, created_at: new Date('2024-04-06T08:00:00Z') }
		]);
		const comment = await t.db
			.selectFrom('comment')
			.select(['post_id', 'author_id', 'created_at', 'body_html'])
			.where('post_id', '=', offline!.id)
			.executeTakeFirstOrThrow();
		expect(comment).toMatchObject({
			author_id: kim.id,
			created_at: new Date('2024-04-04T08:05:00Z')
		});
		expect(comment.body_html).toContain('warehouse crew');

		// The ledger: the acts on their original dates, marked as imported.
		const ledger = await t.db
			.selectFrom('activity')
			.select(['kind', 'created_at', sql<string>`data->>'imported'`.as('imported')])
			.where('post_id', 'in', [offline!.id, bulk!.id])
			.orderBy('created_at')
			.execute();
		expect(ledger.map((a) => [a.kind, a.created_at.toISOString(), a.imported])).toEqual([
			['idea_posted', '2024-04-02T09:00:00.000Z', 'roundtable'],
			['vote_cast', '2024-04-03T08:00:00.000Z', 'roundtable'],
			['vote_cast', '2024-04-04T08:00:00.000Z', 'roundtable'],
			['comment_posted', '2024-04-04T08:05:00.000Z', 'roundtable'],
			['idea_posted', '2024-04-05T12:30:00.000Z', 'roundtable'],
			['vote_cast', '2024-04-06T08:00:00.000Z', 'roundtable']
		]);

		// Again: everything is found, nothing is created; the same two rows are still wrong.
		const again = await run('roundtable.csv', false);
		expect(again).toMatchObject({
			created: { users: 0, ideas: 0, votes: 0, comments: 0 },
			alreadyImported: 6,
			errors: expected.errors
		});
		expect(await ideaByTitle('Offline mode for the mobile app')).toHaveLength(1);
		expect((await ideaByTitle('Offline mode for the mobile app'))[0]!.vote_count).toBe(2);
	});

	it('Canny: posts, then votes and comments linked by post id, with statuses mapped', async () => {
		const posts = await run('canny-posts.csv', false);
		expect(posts).toMatchObject({
			format: 'canny',
			variant: 'posts',
			created: { users: 2, ideas: 3, votes: 0, comments: 0 },
			errors: []
		});
		expect(posts.ideas.map((i) => i.status)).toEqual(['Planned', 'Under review', 'Shipped']);
		const votes = await run('canny-votes.csv', false);
		expect(votes).toMatchObject({
			variant: 'votes',
			created: { users: 1, ideas: 0, votes: 3, comments: 0 }
		});
		const comments = await run('canny-comments.csv', false);
		expect(comments).toMatchObject({ variant: 'comments', created: { users: 0, comments: 2 } });
		const [slack] = await ideaByTitle('Slack integration');
		expect(slack).toMatchObject({ vote_count: 2, comment_count: 1, status: 'planned' });
		// Re-importing the votes: the members already voted.
		expect(await run('canny-votes.csv', false)).toMatchObject({
			created: { votes: 0 },
			alreadyImported: 3
		});
	});

	it('Fider: name-only authors become placeholder accounts, responses official comments, deleted posts skipped', async () => {
		const report = await run('fider-posts.csv', false);
		expect(report).toMatchObject({
			format: 'fider',
			rows: 4,
			created: { users: 2, ideas: 3, votes: 0, comments: 0 },
			skipped: [{ line: 5, reason: 'Deleted in Fider: not imported.' }],
			errors: []
		});
		const [fast] = await ideaByTitle('Go is fast');
		const [easy] = await ideaByTitle('Go is easy');
		expect(fast).toMatchObject({ status: 'declined', comment_count: 1 });
		expect(easy).toMatchObject({ status: 'declined', author_id: fast!.author_id });
		const author = await t.db
			.selectFrom('app_user')
			.select(['email', 'display_name'])
			.where('id', '=', fast!.author_id)
			.executeTakeFirstOrThrow();
		expect(author.display_name).toBe('Faceless');
		expect(author.email).toMatch(/^fider-[0-9a-f]{12}@import\.invalid$/);
		const response = await t.db
			.selectFrom('comment')
			.select(['author_id', 'is_official', 'body_source', 'created_at'])
			.where('post_id', '=', fast!.id)
			.executeTakeFirstOrThrow();
		expect(response).toEqual({
			author_id: admin.id,
			is_official: true,
			body_source: 'Nothing we need to do\n\n— John Snow',
			created_at: new Date('2018-04-04T19:48:10Z')
		});
	});

	it('refuses members, unreadable files and a missing product, and changes nothing', async () => {
		const member = await createUser(t.db);
		expect(
			await runImport(t.db, member, {
				text: fixture('roundtable.csv'),
				defaultProductId: productId,
				dryRun: false
			})
		).toEqual({ ok: false, reason: 'forbidden' });
		expect(
			await runImport(t.db, admin, {
				text: 'just,some\ncolumns,here',
				defaultProductId: productId,
				dryRun: false
			})
		).toMatchObject({ ok: false, reason: 'invalid', errors: { file: expect.any(String) } });
		expect(
			await runImport(t.db, admin, {
				text: fixture('roundtable.csv'),
				defaultProductId: 987654,
				dryRun: false
			})
		).toEqual({ ok: false, reason: 'invalid', errors: { product: 'Choose a product.' } });
	});
});
