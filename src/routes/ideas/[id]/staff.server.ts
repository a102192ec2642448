// The idea page's staff panel: what it shows (status, owner, notes, recorded votes, a member
// search) and its actions (changeStatus, assignOwner, merge, voteOnBehalf, internalNote).
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { IMPORTANCES, importanceLabel } from '$lib/domain/ideas';
import { m } from '$lib/paraglide/messages';
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
		importances: IMPORTANCES.map((i) => ({ value: i, label: importanceLabel(i) })),
		firstResponse: firstResponse ?? null
	};
}

function ideaIdOf(event: RequestEvent): number {
	const id = parseIdeaId(event.params.id ?? '');
	if (id === null) {
		error(404, m.ideas_no_such_idea());
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
		error(403, m.ideas_staff_only());
	}
	return actor;
}

function back(event: RequestEvent, anchor: string): never {
	redirect(303, `${event.url.pathname}#${anchor}`);
}

const statusSchema = z.object({
	status: z.coerce
		.number({ error: () => m.ideas_staff_choose_status() })
		.int()
		.positive({ error: () => m.ideas_staff_choose_status() }),
	message: statusMessageSchema
});
const ownerSchema = z.object({
	owner: z
		.union([z.literal('').transform(() => null), z.coerce.number().int().positive()], {
			error: () => m.ideas_staff_choose_owner()
		})
		.default(null)
});
const mergeSchema = z.object({
	target: z
		.string({ error: () => m.ideas_staff_merge_target_missing() })
		.trim()
		.regex(/(?:^|\/ideas\/)(\d{1,15})(?:-[^/]*)?\/?$/, {
			error: () => m.ideas_staff_merge_target_invalid()
		})
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
			return staffFail(
				400,
				'status',
				Object.values(parsed.errors)[0] ?? m.ideas_staff_check_form(),
				values
			);
		}
		const result = await moveIdeaToStatus(getDb(), actor, {
			ideaId: postId,
			statusId: parsed.data.status,
			message: parsed.data.message
		});
		const outcome = result.ok ? 'changed' : result.reason;
		if (outcome === 'unknown_status') {
			return staffFail(400, 'status', m.ideas_staff_unknown_status(), values);
		}
		if (outcome === 'not_found') {
			error(404, m.ideas_no_such_idea());
		}
		if (outcome === 'refused') {
			return staffFail(409, 'status', m.ideas_staff_status_refused(), values);
		}
		if (outcome === 'same') {
			return staffFail(400, 'status', m.ideas_staff_status_same(), values);
		}
		back(event, 'history-heading');
	},
	assignOwner: async (event: RequestEvent) => {
		const actor = staffOnly(event);
		const postId = ideaIdOf(event);
		const parsed = parseForm(await readForm(event.request), ownerSchema, ['owner']);
		if (!parsed.ok) {
			return staffFail(400, 'owner', parsed.errors.owner ?? m.ideas_staff_choose_staff());
		}
		const result = await assignOwner(getDb(), actor, { ids: [postId], ownerId: parsed.data.owner });
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return staffFail(400, 'owner', result.errors.owner ?? m.ideas_staff_choose_staff());
			}
			error(404, m.ideas_no_such_idea());
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
			return staffFail(400, 'merge', parsed.errors.target ?? m.ideas_staff_check_form(), values);
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
				error(404, m.ideas_no_such_idea());
			}
			error(403, m.ideas_staff_merge_forbidden());
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
			return staffFail(
				400,
				'behalf',
				Object.values(parsed.errors)[0] ?? m.ideas_staff_choose_member()
			);
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
			error(result.reason === 'not_found' ? 404 : 403, m.ideas_staff_vote_failed());
		}
		if (!result.changed) {
			return staffFail(409, 'behalf', m.ideas_staff_already_voted({ member: result.member }));
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
			return staffFail(400, 'note', parsed.errors.body ?? m.ideas_staff_note_missing(), values);
		}
		const db = getDb();
		const result = await postInternalNote(db, actor, { postId, body: parsed.data.body });
		if (!result.ok) {
			error(result.reason === 'not_found' ? 404 : 403, m.ideas_staff_note_failed());
		}
		redirect(303, result.path);
	}
};
