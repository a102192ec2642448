// POST /discussions: start a thread, optionally a question or with a poll.
import { z } from 'zod';
import { startThread, threadSchema } from '../../discussions';
import { defineEndpoint, ok } from '../endpoint';
import { ApiError, domainFields, fieldMessages } from '../errors';
import { createdSchema, itemOf } from '../schemas';
import { allowPosting, participant } from './shared';

const pollSchema = z.object({
	question: z.string({ error: 'Ask the poll’s question.' }),
	options: z.array(z.string(), { error: 'Give the options as a list.' }),
	multiple: z.boolean().optional().describe('Voters may choose several options.'),
	closes_on: z
		.string()
		.optional()
		.describe('YYYY-MM-DD: the poll closes at the end of that day (UTC).')
});

/** The site's form and the API share `threadSchema`: the JSON is put in the form's terms first. */
const body = z.object({
	title: z.string({ error: 'Give your discussion a title.' }),
	body: z.string({ error: 'Write what you want to discuss.' }).describe('Markdown.'),
	category: z.number({ error: 'category is a category id.' }).int().positive(),
	question: z.boolean().optional().describe('A question can have an accepted answer.'),
	poll: pollSchema.optional()
});

/** The form's field names as the API names them, for error messages. */
const API_FIELD: Record<string, string> = {
	pollQuestion: 'poll.question',
	pollOptions: 'poll.options',
	pollMultiple: 'poll.multiple',
	pollClosesOn: 'poll.closes_on'
};

export default defineEndpoint({
	method: 'POST',
	path: '/discussions',
	operationId: 'createDiscussion',
	tag: 'Discussions',
	summary: 'Start a discussion thread',
	description:
		'Title 4 to 120 characters; a poll has 2 to 10 different options. The posting limits apply.',
	scope: 'write',
	body,
	responses: { 201: { description: 'The new thread.', schema: itemOf(createdSchema) } },
	errors: [400, 422],
	async handle(ctx) {
		const actor = participant(ctx.actor);
		const input = ctx.body;
		const parsed = threadSchema.safeParse({
			title: input.title,
			body: input.body,
			category: String(input.category),
			question: input.question ? 'on' : undefined,
			pollQuestion: input.poll?.question ?? '',
			pollOptions: input.poll?.options.join('\n') ?? '',
			pollMultiple: input.poll?.multiple ? 'on' : undefined,
			pollClosesOn: input.poll?.closes_on ?? ''
		});
		if (!parsed.success) {
			const fields = Object.fromEntries(
				Object.entries(fieldMessages(parsed.error, 'body')).map(([k, v]) => [API_FIELD[k] ?? k, v])
			);
			throw new ApiError('invalid_request', 'The request body is not valid.', fields);
		}
		const visibility = await allowPosting(ctx, { kind: 'post', body: parsed.data.body });
		const result = await startThread(ctx.db, actor, parsed.data, { visibility });
		if (!result.ok) {
			if (result.reason === 'invalid') {
				const fields = Object.fromEntries(
					Object.entries(domainFields(result.errors)).map(([k, v]) => [API_FIELD[k] ?? k, v])
				);
				throw new ApiError('unprocessable', 'The thread cannot be started like this.', fields);
			}
			throw new ApiError('forbidden', 'You cannot start a discussion.');
		}
		return ok({ data: { id: result.id, url: result.path, visibility } }, 201);
	}
});
