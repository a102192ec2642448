// The staff survey view's query string: a date range (UTC days, the last 180 by default), kind,
// score group, company, product and "with a reason only". Anything malformed falls back.
import { isScoreGroup, type SurveyFilters } from './results';

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 180;
const SLUG = /^[a-z0-9-]{1,80}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | null): Date | null {
	if (!value || !DATE.test(value)) {
		return null;
	}
	const date = new Date(`${value}T00:00:00Z`);
	return Number.isNaN(date.getTime()) ? null : date;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export interface ParsedSurveyFilters extends SurveyFilters {
	/** The range as the form shows it: first and last day, inclusive. */
	fromDay: string;
	toDay: string;
}

export function surveyFilters(url: URL, now = new Date()): ParsedSurveyFilters {
	const params = url.searchParams;
	const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
	let last = day(params.get('to')) ?? today;
	let first =
		day(params.get('from')) ?? new Date(last.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
	if (first > last) {
		[first, last] = [last, first];
	}
	const kind = params.get('kind');
	const group = params.get('group');
	const company = params.get('company')?.trim() ?? '';
	const product = params.get('product')?.trim() ?? '';
	return {
		from: first,
		to: new Date(last.getTime() + DAY_MS),
		fromDay: isoDay(first),
		toDay: isoDay(last),
		kind: kind === 'nps' || kind === 'csat' ? kind : null,
		group: isScoreGroup(group) ? group : null,
		company: SLUG.test(company) ? company : null,
		product: SLUG.test(product) ? product : null,
		withReason: params.get('reasons') === '1'
	};
}
