// What each queue does. Every handler is idempotent: a retry or a duplicate does no harm. `run`
// (the job attempt) lets a retry take over a mail whose sender died (email/mailer.ts, sendOnce).
import { z } from 'zod';
import { sendPasswordResetEmail } from '../auth/accounts';
import type { Db } from '../db';
import {
	lastDigestTime,
	planWeeklyDigest,
	sendDigestEmail,
	sendNotificationEmail
} from '../email/mailer';
import { purgeExpiredRateLimits } from '../rate-limit';
import { deliverWebhook, deliveryJobSchema } from '../webhooks';
import { sendVerificationEmail } from '../auth/verification';
import type { JobHandlers } from './index';

const id = z.number().int().positive();

export function jobHandlers(db: Db): JobHandlers {
	return {
		'notification-email': async (data, run) => {
			await sendNotificationEmail(db, id.parse(data.notificationId), run);
		},
		'password-reset-email': async (data, run) => {
			await sendPasswordResetEmail(
				db,
				z
					.object({ userId: id, requestId: z.string().uuid(), origin: z.string().url() })
					.parse(data),
				run
			);
		},
		'digest-weekly': async () => {
			// The week ends at the scheduled time, not when the job runs: a re-run plans the same
			// week, and its digests find their claims (`digest:<user>:<until>`) taken.
			await planWeeklyDigest(db, lastDigestTime(new Date()));
		},
		'digest-email': async (data, run) => {
			await sendDigestEmail(
				db,
				z.object({ userId: id, since: z.string(), until: z.string() }).parse(data),
				run
			);
		},
		'rate-limit-purge': async () => {
			await purgeExpiredRateLimits(db);
		},
		'webhook-delivery': async (data, run) => {
			await deliverWebhook(db, deliveryJobSchema.parse(data), undefined, run);
		},
		'verify-email': async (data, run) => {
			await sendVerificationEmail(
				db,
				z
					.object({ userId: id, requestId: z.string().uuid(), origin: z.string().url() })
					.parse(data),
				run
			);
		}
	};
}
