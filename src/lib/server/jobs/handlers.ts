// What each queue does. Every handler is idempotent: a retry or a duplicate does no harm.
import { z } from 'zod';
import { sendPasswordResetEmail } from '../auth/accounts';
import type { Db } from '../db';
import { planWeeklyDigest, sendDigestEmail, sendNotificationEmail } from '../email/mailer';
import { purgeExpiredRateLimits } from '../rate-limit';
import { deliverWebhook, deliveryJobSchema } from '../webhooks';
import { sendVerificationEmail } from '../auth/verification';
import type { JobHandlers } from './index';

const id = z.number().int().positive();

export function jobHandlers(db: Db): JobHandlers {
	return {
		'notification-email': async (data) => {
			await sendNotificationEmail(db, id.parse(data.notificationId));
		},
		'password-reset-email': async (data) => {
			await sendPasswordResetEmail(
				db,
				z.object({ userId: id, requestId: z.string().uuid(), origin: z.string().url() }).parse(data)
			);
		},
		'digest-weekly': async () => {
			await planWeeklyDigest(db);
		},
		'digest-email': async (data) => {
			await sendDigestEmail(
				db,
				z.object({ userId: id, since: z.string(), until: z.string() }).parse(data)
			);
		},
		'rate-limit-purge': async () => {
			await purgeExpiredRateLimits(db);
		},
		'webhook-delivery': async (data) => {
			await deliverWebhook(db, deliveryJobSchema.parse(data));
		},
		'verify-email': async (data) => {
			await sendVerificationEmail(
				db,
				z.object({ userId: id, requestId: z.string().uuid(), origin: z.string().url() }).parse(data)
			);
		}
	};
}
