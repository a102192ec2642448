import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Role } from '$lib/domain/roles';
import type { Db } from '$lib/server/db/index';
import { parseForm } from '$lib/server/forms';
import { anonymous, type UserActor } from '$lib/server/policy';
import {
	PRODUCT_FIELDS,
	createProduct,
	getProductBySlug,
	listAllProducts,
	listProducts,
	productSchema,
	setProductArchived,
	slugify,
	updateProduct,
	type ProductInput
} from '$lib/server/products/index';
import {
	TAG_FIELDS,
	createTag,
	listTags,
	setTagArchived,
	tagSchema,
	updateTag,
	type TagInput
} from '$lib/server/tags/index';
import { backends, useTestDatabase } from '../helpers/test-db';

function formOf(values: Record<string, string>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(values)) {
		form.set(name, value);
	}
	return form;
}

/** A product as an admin would submit the form. */
function productForm(values: Record<string, string>) {
	return parseForm(formOf(values), productSchema, PRODUCT_FIELDS);
}

function productInput(values: Record<string, string>): ProductInput {
	const parsed = productForm(values);
	if (!parsed.ok) {
		throw new Error(`invalid product: ${JSON.stringify(parsed.errors)}`);
	}
	return parsed.data;
}

function tagInput(values: Record<string, string>): TagInput {
	const parsed = parseForm(formOf(values), tagSchema, TAG_FIELDS);
	if (!parsed.ok) {
		throw new Error(`invalid tag: ${JSON.stringify(parsed.errors)}`);
	}
	return parsed.data;
}

describe('the product form', () => {
	it('makes the slug from the name when it is left empty', () => {
		expect(productInput({ name: '  Café Crème — Pro Edition!  ', slug: '' })).toEqual({
			name: 'Café Crème — Pro Edition!',
			slug: 'cafe-creme-pro-edition',
			description: ''
		});
		expect(productInput({ name: "Ada's Analytics" }).slug).toBe('adas-analytics');
	});

	it('keeps a typed slug, lowercased and trimmed', () => {
		expect(productInput({ name: 'Mobile', slug: ' Mobile-App ' }).slug).toBe('mobile-app');
	});

	it('refuses a slug that is not lowercase words joined by single dashes', () => {
		for (const slug of ['mobile--app', '-mobile', 'mobile_app', 'mobile app', 'résumé']) {
			const parsed = productForm({ name: 'Mobile', slug });
			expect(parsed, slug).toEqual({ ok: false, errors: { slug: expect.stringMatching(/dash/) } });
		}
	});

	it('asks for a slug when the name has nothing to make one from', () => {
		expect(productForm({ name: '日本語' })).toEqual({
			ok: false,
			errors: { slug: expect.stringMatching(/^Enter a slug/) }
		});
	});

	it('refuses a missing or too long name, and a too long slug or description', () => {
		expect(productForm({ name: '   ' })).toEqual({
			ok: false,
			errors: { name: 'Enter the product’s name.' }
		});
		expect(productForm({})).toMatchObject({ ok: false, errors: { name: expect.any(String) } });
		expect(productForm({ name: 'x'.repeat(81) })).toMatchObject({
			ok: false,
			errors: { name: 'Use at most 80 characters for the name.' }
		});
		expect(productForm({ name: 'x'.repeat(80) })).toMatchObject({ ok: true });
		expect(productForm({ name: 'Ok', slug: 'a'.repeat(81) })).toMatchObject({
			ok: false,
			errors: { slug: expect.any(String) }
		});
		expect(productForm({ name: 'Ok', description: 'd'.repeat(2001) })).toMatchObject({
			ok: false,
			errors: { description: expect.any(String) }
		});
	});

	it('cuts a long derived slug to the limit, never ending it with a dash', () => {
		expect(slugify('ab '.repeat(30), 80)).toBe(Array(27).fill('ab').join('-'));
		expect(slugify('abc def', 4)).toBe('abc');
	});
});

describe.each(backends)('catalog on %s', (backend) => {
	const t = useTestDatabase(backend);
	const actors = {} as Record<Role, UserActor>;

	beforeAll(async () => {
		for (const role of ['member', 'moderator', 'staff', 'admin'] as const) {
			const user = await t.db
				.insertInto('app_user')
				.values({
					email: `${role}@example.com`,
					handle: `cat_${role}`,
					display_name: role,
					password_hash: 'not used',
					role
				})
				.returning(['id', 'handle', 'display_name', 'email', 'role'])
				.executeTakeFirstOrThrow();
			actors[role] = {
				kind: 'user',
				id: user.id,
				handle: user.handle,
				displayName: user.display_name,
				email: user.email,
				role: user.role
			};
		}
	});

	async function auditOf(db: Db, targetType: string, targetId: number) {
		const rows = await db
			.selectFrom('audit_log')
			.select(['action', 'actor_id', 'actor_handle', 'details'])
			.where('target_type', '=', targetType)
			.where('target_id', '=', String(targetId))
			.orderBy('id')
			.execute();
		return rows.map((row) => ({
			...row,
			details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<
				string,
				unknown
			>
		}));
	}

	async function count(table: 'product' | 'tag' | 'audit_log'): Promise<number> {
		const row = await t.db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return row.n;
	}

	async function addIdea(productId: number, title: string, deleted = false): Promise<number> {
		const status = await t.db
			.selectFrom('idea_status')
			.select('id')
			.where('is_default', '=', true)
			.executeTakeFirstOrThrow();
		const post = await t.db
			.insertInto('post')
			.values({
				kind: 'idea',
				product_id: productId,
				author_id: actors.member.id,
				title,
				status_id: status.id,
				deleted_at: deleted ? new Date() : null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		return post.id;
	}

	describe('products', () => {
		it('an admin creates a product: it is listed, findable by slug and audited', async () => {
			const result = await createProduct(
				t.db,
				actors.admin,
				productInput({ name: 'Ledger Cloud', description: 'Bookkeeping online.' })
			);
			expect(result).toMatchObject({
				ok: true,
				product: {
					name: 'Ledger Cloud',
					slug: 'ledger-cloud',
					description: 'Bookkeeping online.',
					archivedAt: null,
					ideaCount: 0
				}
			});
			expect((await listProducts(t.db)).map((p) => p.slug)).toContain('ledger-cloud');
			const found = await getProductBySlug(t.db, 'ledger-cloud');
			expect(found?.name).toBe('Ledger Cloud');
			const audit = await auditOf(t.db, 'product', found!.id);
			expect(audit).toEqual([
				{
					action: 'product.created',
					actor_id: actors.admin.id,
					actor_handle: 'cat_admin',
					details: { name: 'Ledger Cloud', slug: 'ledger-cloud' }
				}
			]);
		});

		it('refuses a taken slug or name (in any case) with field errors, storing nothing', async () => {
			await createProduct(t.db, actors.admin, productInput({ name: 'Harbour Maps' }));
			const before = [await count('product'), await count('audit_log')];

			const sameSlug = await createProduct(
				t.db,
				actors.admin,
				productInput({ name: 'Harbour Maps Pro', slug: 'harbour-maps' })
			);
			expect(sameSlug).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { slug: 'This slug is already used by another product.' }
			});
			const sameName = await createProduct(
				t.db,
				actors.admin,
				productInput({ name: 'HARBOUR maps', slug: 'other-maps' })
			);
			expect(sameName).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { name: 'This name is already used by another product.' }
			});
			const both = await createProduct(t.db, actors.admin, productInput({ name: 'harbour maps' }));
			expect(both).toMatchObject({
				ok: false,
				errors: { name: expect.any(String), slug: expect.any(String) }
			});
			expect([await count('product'), await count('audit_log')]).toEqual(before);
		});

		it('lets exactly one of two simultaneous creations of one name through', async () => {
			// Open the connections first, so the two really run side by side on PostgreSQL.
			await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(t.db)));
			for (const round of [1, 2, 3]) {
				// Different slugs, so only the name check (not the unique index) can refuse one.
				const results = await Promise.all([
					createProduct(
						t.db,
						actors.admin,
						productInput({ name: `Twin ${round}`, slug: `twin-${round}-a` })
					),
					createProduct(
						t.db,
						actors.admin,
						productInput({ name: `TWIN ${round}`, slug: `twin-${round}-b` })
					)
				]);
				expect(results.filter((r) => r.ok)).toHaveLength(1);
				expect(results.filter((r) => !r.ok)).toEqual([
					{
						ok: false,
						reason: 'invalid',
						errors: { name: 'This name is already used by another product.' }
					}
				]);
			}
		});

		it.skipIf(backend === 'pglite')(
			'turns a slug taken by a write outside the module meanwhile into a field error',
			async () => {
				// The seed does not take the catalog lock: its insert, still uncommitted, is
				// invisible to the check, so the database's unique index is what refuses the second.
				const client = await t.handle.pool.connect();
				try {
					await client.query('begin');
					await client.query(`insert into product (name, slug) values ('Seeded', 'raced-slug')`);
					const creating = createProduct(
						t.db,
						actors.admin,
						productInput({ name: 'Raced', slug: 'raced-slug' })
					);
					await waitForLockWaiters(1);
					await client.query('commit');
					expect(await creating).toEqual({
						ok: false,
						reason: 'invalid',
						errors: { slug: 'This slug is already used by another product.' }
					});
				} finally {
					client.release();
				}
			}
		);

		it('an admin edits name, slug and description; the audit says what changed', async () => {
			const created = await createProduct(t.db, actors.admin, productInput({ name: 'Old Name' }));
			if (!created.ok) {
				throw new Error('not created');
			}
			const id = created.product.id;
			const result = await updateProduct(
				t.db,
				actors.admin,
				id,
				productInput({ name: 'New Name', slug: 'new-name', description: 'Now described.' })
			);
			expect(result).toMatchObject({
				ok: true,
				product: { id, name: 'New Name', slug: 'new-name', description: 'Now described.' }
			});
			expect(await getProductBySlug(t.db, 'old-name')).toBeUndefined();
			const audit = await auditOf(t.db, 'product', id);
			expect(audit.map((a) => a.action)).toEqual(['product.created', 'product.updated']);
			expect(audit[1]!.details).toEqual({
				name: 'New Name',
				changes: {
					name: { from: 'Old Name', to: 'New Name' },
					slug: { from: 'old-name', to: 'new-name' },
					description: { from: '', to: 'Now described.' }
				}
			});

			// Saving again with nothing changed records nothing.
			await updateProduct(
				t.db,
				actors.admin,
				id,
				productInput({ name: 'New Name', slug: 'new-name', description: 'Now described.' })
			);
			expect(await auditOf(t.db, 'product', id)).toHaveLength(2);
		});

		it('an edit keeps its own name in another case, but not another product’s slug', async () => {
			const a = await createProduct(t.db, actors.admin, productInput({ name: 'Alpha Suite' }));
			await createProduct(t.db, actors.admin, productInput({ name: 'Beta Suite' }));
			if (!a.ok) {
				throw new Error('not created');
			}
			const recased = await updateProduct(
				t.db,
				actors.admin,
				a.product.id,
				productInput({ name: 'ALPHA Suite', slug: 'alpha-suite' })
			);
			expect(recased).toMatchObject({ ok: true, product: { name: 'ALPHA Suite' } });
			const taken = await updateProduct(
				t.db,
				actors.admin,
				a.product.id,
				productInput({ name: 'ALPHA Suite', slug: 'beta-suite' })
			);
			expect(taken).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { slug: 'This slug is already used by another product.' }
			});
			expect((await getProductBySlug(t.db, 'alpha-suite'))?.name).toBe('ALPHA Suite');
		});

		it('archiving hides a product from the public list but keeps it and its ideas', async () => {
			const created = await createProduct(t.db, actors.admin, productInput({ name: 'Sunset' }));
			if (!created.ok) {
				throw new Error('not created');
			}
			const id = created.product.id;
			await addIdea(id, 'Keep the sunset');
			await addIdea(id, 'A deleted idea', true);

			const archived = await setProductArchived(t.db, actors.admin, id, true);
			expect(archived).toMatchObject({
				ok: true,
				product: { archivedAt: expect.any(Date), ideaCount: 1 }
			});
			expect((await listProducts(t.db)).map((p) => p.id)).not.toContain(id);
			const all = await listAllProducts(t.db);
			expect(all.find((p) => p.id === id)).toMatchObject({ archivedAt: expect.any(Date) });
			// Archived products come after the active ones.
			expect(all.at(-1)!.id).toBe(id);
			const ideas = await t.db
				.selectFrom('post')
				.select('title')
				.where('product_id', '=', id)
				.where('deleted_at', 'is', null)
				.execute();
			expect(ideas).toEqual([{ title: 'Keep the sunset' }]);

			// Archiving twice changes and records nothing more.
			await setProductArchived(t.db, actors.admin, id, true);
			const restored = await setProductArchived(t.db, actors.admin, id, false);
			expect(restored).toMatchObject({ ok: true, product: { archivedAt: null } });
			expect((await listProducts(t.db)).map((p) => p.id)).toContain(id);
			expect((await auditOf(t.db, 'product', id)).map((a) => a.action)).toEqual([
				'product.created',
				'product.archived',
				'product.restored'
			]);
		});

		it('answers not_found for a product that does not exist', async () => {
			const input = productInput({ name: 'Ghost' });
			expect(await updateProduct(t.db, actors.admin, 999_999, input)).toEqual({
				ok: false,
				reason: 'not_found'
			});
			expect(await setProductArchived(t.db, actors.admin, 999_999, true)).toEqual({
				ok: false,
				reason: 'not_found'
			});
			expect(await getProductBySlug(t.db, 'ghost')).toBeUndefined();
		});

		it('refuses anyone but an admin, storing nothing', async () => {
			const created = await createProduct(t.db, actors.admin, productInput({ name: 'Guarded' }));
			if (!created.ok) {
				throw new Error('not created');
			}
			const before = [await count('product'), await count('audit_log')];
			for (const actor of [anonymous, actors.member, actors.moderator, actors.staff]) {
				const label = actor.kind === 'user' ? actor.role : 'anonymous';
				const forbidden = { ok: false, reason: 'forbidden' };
				expect(
					await createProduct(t.db, actor, productInput({ name: `By ${label}` })),
					label
				).toEqual(forbidden);
				expect(
					await updateProduct(t.db, actor, created.product.id, productInput({ name: 'Taken' })),
					label
				).toEqual(forbidden);
				expect(await setProductArchived(t.db, actor, created.product.id, true), label).toEqual(
					forbidden
				);
			}
			expect([await count('product'), await count('audit_log')]).toEqual(before);
			expect((await getProductBySlug(t.db, 'guarded'))?.archivedAt).toBeNull();
		});
	});

	describe('tags', () => {
		it('an admin creates a tag with a slug made from its name; it is listed and audited', async () => {
			const result = await createTag(t.db, actors.admin, tagInput({ name: 'Über Export' }));
			expect(result).toMatchObject({
				ok: true,
				tag: { name: 'Über Export', slug: 'uber-export', archivedAt: null, ideaCount: 0 }
			});
			if (!result.ok) {
				return;
			}
			expect((await listTags(t.db)).map((tag) => tag.slug)).toContain('uber-export');
			expect(await auditOf(t.db, 'tag', result.tag.id)).toEqual([
				{
					action: 'tag.created',
					actor_id: actors.admin.id,
					actor_handle: 'cat_admin',
					details: { name: 'Über Export', slug: 'uber-export' }
				}
			]);
		});

		it('refuses a name used by another tag in any case, or a taken slug, storing nothing', async () => {
			await createTag(t.db, actors.admin, tagInput({ name: 'Bug' }));
			const before = [await count('tag'), await count('audit_log')];
			expect(await createTag(t.db, actors.admin, tagInput({ name: 'bug', slug: 'bugs' }))).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { name: 'This name is already used by another tag.' }
			});
			expect(await createTag(t.db, actors.admin, tagInput({ name: 'Bugs', slug: 'bug' }))).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { slug: 'This slug is already used by another tag.' }
			});
			expect([await count('tag'), await count('audit_log')]).toEqual(before);
		});

		it('refuses a too long tag name or a bad slug at the form', () => {
			expect(parseForm(formOf({ name: 'x'.repeat(41) }), tagSchema, TAG_FIELDS)).toMatchObject({
				ok: false,
				errors: { name: 'Use at most 40 characters for the name.' }
			});
			expect(
				parseForm(formOf({ name: 'Ok', slug: 'not ok' }), tagSchema, TAG_FIELDS)
			).toMatchObject({ ok: false, errors: { slug: expect.any(String) } });
		});

		it('an admin renames a tag; a name in use elsewhere is refused', async () => {
			const created = await createTag(t.db, actors.admin, tagInput({ name: 'Speed' }));
			await createTag(t.db, actors.admin, tagInput({ name: 'Search' }));
			if (!created.ok) {
				throw new Error('not created');
			}
			const id = created.tag.id;
			expect(
				await updateTag(t.db, actors.admin, id, tagInput({ name: 'Performance', slug: '' }))
			).toMatchObject({ ok: true, tag: { id, name: 'Performance', slug: 'performance' } });
			expect(
				await updateTag(t.db, actors.admin, id, tagInput({ name: 'SEARCH', slug: 'perf' }))
			).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { name: 'This name is already used by another tag.' }
			});
			const audit = await auditOf(t.db, 'tag', id);
			expect(audit.map((a) => a.action)).toEqual(['tag.created', 'tag.updated']);
			expect(audit[1]!.details).toEqual({
				name: 'Performance',
				changes: {
					name: { from: 'Speed', to: 'Performance' },
					slug: { from: 'speed', to: 'performance' }
				}
			});
			expect(await updateTag(t.db, actors.admin, 999_999, tagInput({ name: 'X' }))).toEqual({
				ok: false,
				reason: 'not_found'
			});
		});

		it('archived tags leave the default list and come back when restored', async () => {
			const created = await createTag(t.db, actors.admin, tagInput({ name: 'Legacy' }));
			if (!created.ok) {
				throw new Error('not created');
			}
			const id = created.tag.id;
			expect(await setTagArchived(t.db, actors.admin, id, true)).toMatchObject({
				ok: true,
				tag: { archivedAt: expect.any(Date) }
			});
			expect((await listTags(t.db)).map((tag) => tag.id)).not.toContain(id);
			const all = await listTags(t.db, { includeArchived: true });
			expect(all.find((tag) => tag.id === id)?.archivedAt).toEqual(expect.any(Date));
			expect(all.at(-1)!.id).toBe(id);

			expect(await setTagArchived(t.db, actors.admin, id, false)).toMatchObject({
				ok: true,
				tag: { archivedAt: null }
			});
			expect((await listTags(t.db)).map((tag) => tag.id)).toContain(id);
			expect((await auditOf(t.db, 'tag', id)).map((a) => a.action)).toEqual([
				'tag.created',
				'tag.archived',
				'tag.restored'
			]);
			expect(await setTagArchived(t.db, actors.admin, 999_999, true)).toEqual({
				ok: false,
				reason: 'not_found'
			});
		});

		it('counts the ideas that carry a tag, leaving out deleted ones', async () => {
			const product = await createProduct(t.db, actors.admin, productInput({ name: 'Tagged' }));
			const tag = await createTag(t.db, actors.admin, tagInput({ name: 'Counted' }));
			if (!product.ok || !tag.ok) {
				throw new Error('not created');
			}
			const kept = await addIdea(product.product.id, 'Tagged idea');
			const gone = await addIdea(product.product.id, 'Tagged and deleted', true);
			await t.db
				.insertInto('post_tag')
				.values([
					{ post_id: kept, tag_id: tag.tag.id },
					{ post_id: gone, tag_id: tag.tag.id }
				])
				.execute();
			const listed = (await listTags(t.db)).find((t) => t.id === tag.tag.id);
			expect(listed?.ideaCount).toBe(1);
		});

		it('refuses anyone but an admin, storing nothing', async () => {
			const created = await createTag(t.db, actors.admin, tagInput({ name: 'Locked' }));
			if (!created.ok) {
				throw new Error('not created');
			}
			const before = [await count('tag'), await count('audit_log')];
			for (const actor of [anonymous, actors.member, actors.moderator, actors.staff]) {
				const forbidden = { ok: false, reason: 'forbidden' };
				expect(await createTag(t.db, actor, tagInput({ name: 'Sneaky' }))).toEqual(forbidden);
				expect(
					await updateTag(t.db, actor, created.tag.id, tagInput({ name: 'Hijacked' }))
				).toEqual(forbidden);
				expect(await setTagArchived(t.db, actor, created.tag.id, true)).toEqual(forbidden);
			}
			expect([await count('tag'), await count('audit_log')]).toEqual(before);
		});
	});

	/** Waits until `n` sessions of the test database are waiting for a lock. */
	async function waitForLockWaiters(n: number): Promise<void> {
		const deadline = Date.now() + 15_000;
		for (;;) {
			const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
				where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
			if (rows[0]!.n >= n) {
				return;
			}
			if (Date.now() > deadline) {
				throw new Error(`only ${rows[0]!.n} of ${n} sessions reached the lock`);
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}
});
