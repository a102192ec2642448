// The full export on both databases: valid JSON with every exported table's rows (more than
// one chunk of them), and never a password hash, a session or reset token, a secret or the mail
// outbox. Every table of the database is either exported or named as left out.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	EXPORTED_TABLES,
	NOT_EXPORTED_TABLES,
	exportSiteJson,
	exportSiteStream,
	listDatabaseTables
} from '$lib/server/export';
import { createWebhook } from '$lib/server/webhooks';
import { createTag, createUser } from '../helpers/factories';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('full export on %s', (backend) => {
	const t = useTestDatabase(backend);

	beforeAll(async () => {
		const admin = await createUser(t.db, { role: 'admin' });
		await t.db
			.updateTable('app_user')
			.set({ password_hash: '$argon2id$v=19$m=19456,t=2,p=1$SECRET-HASH' })
			.where('id', '=', admin.id)
			.execute();
		await t.db
			.insertInto('user_session')
			.values({
				id: 'SESSION-TOKEN-HASH',
				user_id: admin.id,
				expires_at: new Date(Date.now() + 3600_000)
			})
			.execute();
		await t.db
			.insertInto('mail_outbox')
			.values({ recipient: admin.email, subject: 'OUTBOX-MAIL', text_body: 'reset link' })
			.execute();
		await sql`insert into app_secret (name, value) values ('export-test', 'APP-SECRET-VALUE') on conflict do nothing`.execute(
			t.db
		);
		await createWebhook(t.db, admin, {
			url: 'https://hooks.example.com/in',
			description: 'CRM',
			secret: 'WEBHOOK-SECRET-VALUE-123',
			events: ['idea.created']
		});
		// More tags than one chunk (500), so the export pages through them.
		for (let i = 0; i < 520; i += 130) {
			await t.db
				.insertInto('tag')
				.values(
					Array.from({ length: 130 }, (_, j) => ({
						name: `Bulk tag ${i + j}`,
						slug: `bulk-tag-${i + j}`
					}))
				)
				.execute();
		}
		await createTag(t.db);
	});

	it('names every table of the database as exported or left out', async () => {
		const tables = await listDatabaseTables(t.db);
		const unclassified = tables.filter(
			(table) => !(table in EXPORTED_TABLES) && !(table in NOT_EXPORTED_TABLES)
		);
		expect(unclassified).toEqual([]);
	});

	it('exports every row of content and configuration, and no secret', async () => {
		let text = '';
		const chunks: string[] = [];
		for await (const piece of exportSiteJson(t.db, { siteName: 'Acme' })) {
			chunks.push(piece);
			text += piece;
		}
		const data = JSON.parse(text);
		expect(data).toMatchObject({ format: 'roundtable-export', version: 1, site: 'Acme' });
		const tagCount = await t.db
			.selectFrom('tag')
			.select(sql<number>`count(*)::int`.as('n'))
			.executeTakeFirstOrThrow();
		expect(data.tables.tag).toHaveLength(tagCount.n);
		expect(tagCount.n).toBeGreaterThan(500);
		expect(new Set(data.tables.tag.map((tag: { id: number }) => tag.id)).size).toBe(tagCount.n);
		const users = await t.db.selectFrom('app_user').select('email').execute();
		expect(data.tables.app_user.map((u: { email: string }) => u.email).sort()).toEqual(
			users.map((u) => u.email).sort()
		);
		expect(data.tables.app_user[0]).not.toHaveProperty('password_hash');
		expect(data.tables.webhook).toEqual([
			expect.objectContaining({ url: 'https://hooks.example.com/in', description: 'CRM' })
		]);
		expect(data.tables.webhook[0]).not.toHaveProperty('secret');
		expect(data.tables.idea_status.length).toBeGreaterThanOrEqual(6);
		for (const secret of [
			'SECRET-HASH',
			'SESSION-TOKEN-HASH',
			'OUTBOX-MAIL',
			'APP-SECRET-VALUE',
			'WEBHOOK-SECRET-VALUE-123'
		]) {
			expect(text).not.toContain(secret);
		}
		for (const table of Object.keys(NOT_EXPORTED_TABLES)) {
			expect(data.tables).not.toHaveProperty(table);
		}
		// Streamed in pieces, not one string.
		expect(chunks.length).toBeGreaterThan(Object.keys(EXPORTED_TABLES).length);
	});

	it('streams the same document as bytes', async () => {
		const text = await new Response(exportSiteStream(t.db, { siteName: 'Acme' })).text();
		expect(JSON.parse(text).tables.webhook).toHaveLength(1);
	});
});
