// The API's operations. Adding one: write `endpoints/<name>.ts` (defineEndpoint) and list it here;
// the router serves it and the OpenAPI document describes it.
import { z } from 'zod';
import { defineEndpoint, ok, type Endpoint } from './endpoint';
import { buildOpenApi } from './openapi';
import { ApiRouter } from './router';
import me from './endpoints/me';
import listProducts from './endpoints/products-list';
import getProduct from './endpoints/product-get';
import listProductReviews from './endpoints/reviews-list';
import getReview from './endpoints/review-get';
import listIdeas from './endpoints/ideas-list';
import searchIdeas from './endpoints/ideas-search';
import similarIdeas from './endpoints/ideas-similar';
import getIdea from './endpoints/idea-get';
import createIdea from './endpoints/idea-create';
import voteForIdea from './endpoints/idea-vote';
import removeVote from './endpoints/idea-unvote';
import listIdeaComments from './endpoints/comments-list';
import createIdeaComment from './endpoints/comment-create';
import changeIdeaStatus from './endpoints/idea-status';
import listStatuses from './endpoints/statuses-list';
import listDiscussions from './endpoints/threads-list';
import getDiscussion from './endpoints/thread-get';
import createDiscussion from './endpoints/thread-create';
import listDiscussionReplies from './endpoints/replies-list';
import createDiscussionReply from './endpoints/reply-create';
import listCompanies from './endpoints/companies-list';
import getCompany from './endpoints/company-get';
import listCustomers from './endpoints/customers-list';
import getCustomer from './endpoints/customer-get';
import listCustomerActivity from './endpoints/customer-activity';

const operations: Endpoint[] = [
	me,
	listProducts,
	getProduct,
	listProductReviews,
	getReview,
	listIdeas,
	searchIdeas,
	similarIdeas,
	getIdea,
	createIdea,
	voteForIdea,
	removeVote,
	listIdeaComments,
	createIdeaComment,
	changeIdeaStatus,
	listStatuses,
	listDiscussions,
	getDiscussion,
	createDiscussion,
	listDiscussionReplies,
	createDiscussionReply,
	listCompanies,
	getCompany,
	listCustomers,
	getCustomer,
	listCustomerActivity
];

const openApiDocument = defineEndpoint({
	method: 'GET',
	path: '/openapi.json',
	operationId: 'getOpenApiDocument',
	tag: 'Meta',
	summary: 'This API’s OpenAPI 3.1 document',
	scope: 'read',
	unmetered: true,
	responses: {
		200: {
			description: 'The document.',
			schema: z.looseObject({ openapi: z.literal('3.1.0') })
		}
	},
	async handle() {
		return ok(openApi());
	}
});

export const apiEndpoints: readonly Endpoint[] = [openApiDocument, ...operations];

let document: ReturnType<typeof buildOpenApi> | undefined;

export function openApi() {
	document ??= buildOpenApi(apiEndpoints);
	return document;
}

export const apiRouter = new ApiRouter(apiEndpoints);
export { API_PREFIX } from './router';
export type { ApiEnvironment } from './router';
