// Demo companies, the customers feature's part: every demo account has a confirmed address (they
// are made-up people at reserved `.example` domains, so no link could reach them), and every
// company owns at least one product. Domains, plans and a monthly value in each of the four tiers
// come with the companies themselves (seed/demo.ts).
import type { Db } from '../db';

const MORE_OWNERSHIP: [company: string, product: string][] = [['juniper-studio', 'analytics']];

export async function seedDemoCompanies(trx: Db): Promise<void> {
	await trx
		.updateTable('app_user')
		.set((eb) => ({ email_verified_at: eb.ref('created_at') }))
		.where('email_verified_at', 'is', null)
		.execute();
	const [companies, products] = await Promise.all([
		trx.selectFrom('company').select(['id', 'slug']).execute(),
		trx.selectFrom('product').select(['id', 'slug']).execute()
	]);
	const rows = MORE_OWNERSHIP.flatMap(([company, product]) => {
		const c = companies.find((x) => x.slug === company);
		const p = products.find((x) => x.slug === product);
		return c && p ? [{ company_id: c.id, product_id: p.id }] : [];
	});
	if (rows.length > 0) {
		await trx
			.insertInto('company_product')
			.values(rows)
			.onConflict((oc) => oc.columns(['company_id', 'product_id']).doNothing())
			.execute();
	}
}
