import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backends, useTestDatabase } from '../helpers/test-db';

describe.each(backends)('database on %s', (backend) => {
	const t = useTestDatabase(backend);

	it('returns int8 and numeric as numbers, timestamps as Dates, dates as strings', async () => {
		const { rows } = await sql<{
			big: unknown;
			num: unknown;
			at: unknown;
			day: unknown;
			n: unknown;
		}>`select 9007199254740991::int8 as big, 12.50::numeric(14,2) as num,
			now() as at, '2026-03-01'::date as day, count(*) as n from generate_series(1, 3)`.execute(t.db);
		expect(rows[0]).toEqual({
			big: 9007199254740991,
			num: 12.5,
			at: expect.any(Date),
			day: '2026-03-01',
			n: 3
		});
	});

	it('refuses an int8 beyond the safe integer range rather than rounding it', async () => {
		await expect(sql`select 9007199254740993::int8 as big`.execute(t.db)).rejects.toThrow(
			/safe integer/
		);
	});

	it('has pg_trgm', async () => {
		const { rows } = await sql<{
			s: number;
		}>`select similarity('roadmap', 'road map') as s`.execute(t.db);
		expect(rows[0]!.s).toBeGreaterThan(0.3);
	});

	it('runs two concurrent transactions without interleaving them', async () => {
		await sql`create table counter (id int primary key, value int not null)`.execute(t.db);
		await sql`insert into counter values (1, 0)`.execute(t.db);
		// Each transaction reads, waits, then writes what it read plus one. Interleaved on one
		// connection, both would read 0 (or share one transaction); kept apart, the result is 2.
		const bump = (label: string) =>
			t.db.transaction().execute(async (trx) => {
				const { rows } = await sql<{
					value: number;
				}>`select value from counter where id = 1 for update`.execute(trx);
				await new Promise((resolve) => setTimeout(resolve, 50));
				await sql`update counter set value = ${rows[0]!.value + 1} where id = 1`.execute(trx);
				return label;
			});
		const results = await Promise.all([bump('first'), bump('second')]);
		expect(results).toEqual(['first', 'second']);
		const { rows } = await sql<{ value: number }>`select value from counter where id = 1`.execute(
			t.db
		);
		expect(rows[0]!.value).toBe(2);
	});

	it('rolls back one transaction without touching the other', async () => {
		await sql`create table note (body text not null)`.execute(t.db);
		const failing = t.db.transaction().execute(async (trx) => {
			await sql`insert into note values ('lost')`.execute(trx);
			await new Promise((resolve) => setTimeout(resolve, 20));
			throw new Error('boom');
		});
		const succeeding = t.db.transaction().execute(async (trx) => {
			await sql`insert into note values ('kept')`.execute(trx);
		});
		await expect(failing).rejects.toThrow('boom');
		await succeeding;
		const { rows } = await sql<{ body: string }>`select body from note`.execute(t.db);
		expect(rows).toEqual([{ body: 'kept' }]);
	});

	it('keeps the audit log append-only', async () => {
		await t.db
			.insertInto('audit_log')
			.values({ action: 'test', target_type: 'user', target_id: '1' })
			.execute();
		await expect(
			t.db.updateTable('audit_log').set({ action: 'changed' }).execute()
		).rejects.toThrow(/append-only/);
		await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
	});
});
