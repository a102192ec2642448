// The idea page's staff panel: what it shows (status, owner, notes, recorded votes, a member
// search) and its actions (changeStatus, assignOwner, merge, voteOnBehalf, internalNote).
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { IMPORTANCES, IMPORTANCE_LABELS } from '$lib/domain/ideas';
import { authorize } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/app';
import { parseForm, readForm } from '$lib/server/forms';
import { parseIdeaId } from '$lib/server/ideas';
import type { IdeaRecord } from '$lib/server/ideas/facts';
import { getFirstResponse } from '$lib/server/ideas/response';
import { moveIdeaToStatus } from '$lib/server/ideas/status';
import {
	canChangeIdeaStatus,
	canTriage,
	canSeeVoteRecorder,
	type UserActor
} from '$lib/server/policy';
import {
	assignOwner,
	behalfVoteSchema,
	findMembers,
	internalNoteSchema,
	listInternalNotes,
	listRecordedVotes,
	listStaff,
	mergeIdeas,
	postInternalNote,
	statusMessageSchema,
	voteOnBehalf
} from '$lib/server/triage';
import { listStatuses } from '$lib/server/triage/statuses';

export async function loadStaffPanel(event: RequestEvent, idea: IdeaRecord) {
	const { actor } = event.locals;
	if (!canTriage(actor)) {
		return null;
	}
	const db = getDb();
	const query = event.url.searchParams.get('member')?.trim() ?? '';
	const [statuses, staff, owner, notes, recorded, matches, firstResponse] = await Promise.all([
		listStatuses(db),
		listStaff(db),
		db
			.selectFrom('post')
			.select(['owner_id', 'status_id'])
			.where('id', '=', idea.id)
			.executeTakeFirstOrThrow(),
		listInternalNotes(db, actor, idea.id),
		canSeeVoteRecorder(actor) ? listRecordedVotes(db, idea.id) : [],
		query ? findMembers(db, query) : [],
		getFirstResponse(db, idea.id)
	]);
	return {
		statuses: statuses.map((s) => ({ id: s.id, name: s.name })),
		statusId: owner.status_id,
		canChangeStatus: canChangeIdeaStatus(actor, idea),
		staff,
		ownerId: owner.owner_id,
		notes,
		recorded,
		memberQuery: query,
		matches,
		importances: IMPORTANCES.map((i) => ({ value: i, label: IMPORTANCE_LABELS[i] })),
		firstResponse: firstResponse ?? null
	};
}

function ideaIdOf(event: RequestEvent): number {
	const id = parseIdeaId(event.params.id ?? '');
	if (id === null) {
		error(404, 'There is no such idea.');
	}
	return id;
}

function staffOnly(event: RequestEvent): UserActor {
	const { actor } = event.locals;
	authorize(
		{ locals: event.locals, url: new URL(event.url.pathname, event.url) },
		canTriage(actor)
	);
	if (!canTriage(actor)) {
		error(403, 'Only staff can do that.');
	}
	return actor;
}

function back(event: RequestEvent, anchor: string): never {
	redirect(303, `${event.url.pathname}#${anchor}`);
}

const statusSchema = z.object({
	status: z.coerce.number({ error: 'Choose a status.' }).int().positive('Choose a status.'),
	message: statusMessageSchema
});
const ownerSchema = z.object({
	owner: z
		.union([z.literal('').transform(() => null), z.coerce.number().int().positive()], {
			error: 'Choose a staff member, or nobody.'
		})
		.default(null)
});
const mergeSchema = z.object({
	target: z
		.string({ error: 'Give the number or address of the idea to merge into.' })
		.trim()
		.regex(
			/(?:^|\/ideas\/)(\d{1,15})(?:-[^/]*)?\/?$/,
			'Give the idea’s number (like 42) or its address.'
		)
		.transform((v) => Number(/(\d{1,15})(?:-[^/]*)?\/?$/.exec(v)![1]))
});

function staffFail(
	status: number,
	panel: string,
	message: string,
	values: Record<string, string> = {}
) {
	return fail(status, { staffForm: { panel, message, values } });
}

function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, 10_000) : '';
}

export const staffActions = {
	changeStatus: async (event: RequestEvent) => {
		const actor = staffOnly(event);
		const postId = ideaIdOf(event);
		const form = await readForm(event.request);
		const values = { message: text(form, 'message') };
		const parsed = parseForm(form, statusSchema, ['status', 'message']);
		if (!parsed.ok) {
			return staffFail(400, 'status', Object.values(parsed.errors)[0] ?? 'Check the form.', values);
		}
		const result = await moveIdeaToStatus(getDb(), actor, {
			ideaId: postId,
			statusId: parsed.data.status,
			message: parsed.data.message
		});
		const outcome = result.ok ? 'changed' : result.reason;
		if (outcome === 'unknown_status') {
			return staffFail(400, 'status', 'Choose one of the statuses.', values);
		}
		if (outcome === 'not_found') {
			error(404, 'There is no such idea.');
		}
		if (outcome === 'refused') {
			return staffFail(409, 'status', 'This idea was merged or deleted: its status stays.', values);
		}
		if (outcome === 'same') {
			return staffFail(
				400,
				'status',
				'The idea already has this status: nothing was changed.',
				values
			);
		}
		back(event, 'history-heading');
	},
	assignOwner: async (event: RequestEvent) => {
		const actor = staffOnly(event);
		const postId = ideaIdOf(event);
		const parsed = parseForm(await readForm(event.request), ownerSchema, ['owner']);
		if (!parsed.ok) {
			return staffFail(400, 'owner', parsed.errors.owner ?? 'Choose a staff member.');
		}
		const result = await assignOwner(getDb(), actor, { ids: [postId], ownerId: parsed.data.owner });
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return staffFail(400, 'owner', result.errors.owner ?? 'Choose a staff member.');
			}
			error(404, 'There is no such idea.');
		}
		back(event, 'staff-panel');
	},
	merge: async (event: RequestEvent) => {
		const actor = staffOnly(event);
		const postId = ideaIdOf(event);
		const form = await readForm(event.request);
		const values = { target: text(form, 'target') };
		const parsed = parseForm(form, mergeSchema, ['target']);
		if (!parsed.ok) {
			return staffFail(400, 'merge', parsed.errors.target ?? 'Check the form.', values);
		}
		const result = await mergeIdeas(getDb(), actor, {
			sourceId: postId,
			targetId: parsed.data.target
		});
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return staffFail(400, 'merge', result.error, values);
			}
			if (result.reason === 'not_found') {
				error(404, 'There is no such idea.');
			}
			error(403, 'Only staff can merge ideas.');
		}
		redirect(303, result.path);
	},
	voteOnBehalf: async (event: RequestEvent) => {
		const actor = staffOnly(event);
		const postId = ideaIdOf(event);
		const parsed = parseForm(await readForm(event.request), behalfVoteSchema, [
			'member',
			'importance'
		]);
		if (!parsed.ok) {
			return staffFail(400, 'behalf', Object.values(parsed.errors)[0] ?? 'Choose the member.');
		}
		const result = await voteOnBehalf(getDb(), actor, {
			postId,
			memberId: parsed.data.member,
			importance: parsed.data.importance
		});
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return staffFail(400, 'behalf', result.error);
			}
			error(result.reason === 'not_found' ? 404 : 403, 'That vote could not be recorded.');
		}
		if (!result.changed) {
			return staffFail(409, 'behalf', `${result.member} has already voted for this idea.`);
		}
		back(event, 'staff-behalf');
	},
	internalNote: async (event: RequestEvent) => {
		const actor = staffOnly(event);
		const postId = ideaIdOf(event);
		const form = await readForm(event.request);
		const values = { body: text(form, 'body') };
		const parsed = parseForm(form, internalNoteSchema, ['body']);
		if (!parsed.ok) {
			return staffFail(400, 'note', parsed.errors.body ?? 'Write the note first.', values);
		}
		const db = getDb();
		const result = await postInternalNote(db, actor, { postId, body: parsed.data.body });
		if (!result.ok) {
			error(result.reason === 'not_found' ? 404 : 403, 'The note could not be saved.');
		}
		redirect(303, result.path);
	}
};
