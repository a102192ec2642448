// Demo webhook: one registered for the CRM, disabled so a demo site never sends anything
// anywhere; an admin can point it at a receiver of their own, enable it and send a test ping.
import type { Db } from '../db';
import { generateWebhookSecret } from '../webhooks/signature';

export async function seedDemoWebhooks(trx: Db, adminId: number): Promise<void> {
	await trx
		.insertInto('webhook')
		.values({
			url: 'https://hooks.example.com/roundtable',
			description: 'CRM sync (demo: disabled until you point it at your own receiver)',
			secret: generateWebhookSecret(),
			events: ['idea.created', 'idea.status_changed', 'changelog.published'],
			enabled: false,
			created_by_id: adminId
		})
		.execute();
}
