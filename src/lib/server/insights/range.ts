// The dashboard's date range from GET parameters: `?range=30d|90d|12m`, or `?from=&to=` for a
// custom range. Bad input gets one message per field and the default range, never an error page.
import { z } from 'zod';
import {
	DEFAULT_PRESET,
	MAX_RANGE_DAYS,
	RANGE_PRESETS,
	isoDay,
	parseDay,
	presetRange,
	rangeDays,
	type DateRange
} from '$lib/domain/insights';
import { formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import type { FieldErrors } from '../forms';

const day = (missing: () => string, malformed: () => string) =>
	z
		.string({ error: missing })
		.trim()
		.min(1, { error: missing })
		.refine((value) => parseDay(value) !== undefined, { error: malformed });

function customSchema(today: string) {
	const valid = (r: { from: string; to: string }) =>
		parseDay(r.from) !== undefined && parseDay(r.to) !== undefined;
	return z
		.object({
			from: day(m.staff_range_start_required, m.staff_range_start_format),
			to: day(m.staff_range_end_required, m.staff_range_end_format)
		})
		.refine((r) => !valid(r) || r.to <= today, {
			error: () => m.staff_range_future(),
			path: ['to']
		})
		.refine((r) => !valid(r) || r.from <= r.to, {
			error: () => m.staff_range_order(),
			path: ['from']
		})
		.refine((r) => !valid(r) || r.from > r.to || rangeDays(r) <= MAX_RANGE_DAYS, {
			error: () => m.staff_range_too_long({ max: formatNumber(MAX_RANGE_DAYS) }),
			path: ['from']
		});
}

export interface RangeChoice {
	range: DateRange;
	/** One message per field (from, to, range) when the parameters were refused. */
	errors: FieldErrors;
	/** What was asked for, to show again in the form. */
	values: { from: string; to: string };
}

export function readRange(url: URL, now = new Date()): RangeChoice {
	const fallback = presetRange(DEFAULT_PRESET, now);
	const from = url.searchParams.get('from');
	const to = url.searchParams.get('to');
	const preset = url.searchParams.get('range');
	if ((from !== null && from !== '') || (to !== null && to !== '') || preset === 'custom') {
		const parsed = customSchema(isoDay(now)).safeParse({ from: from ?? '', to: to ?? '' });
		const values = { from: (from ?? '').slice(0, 20), to: (to ?? '').slice(0, 20) };
		if (!parsed.success) {
			const errors: FieldErrors = {};
			for (const issue of parsed.error.issues) {
				errors[String(issue.path[0] ?? 'from')] ??= issue.message;
			}
			return { range: fallback, errors, values };
		}
		return { range: { ...parsed.data, preset: 'custom' }, errors: {}, values };
	}
	if (preset !== null && preset !== '') {
		const known = RANGE_PRESETS.find((p) => p === preset);
		if (!known) {
			return {
				range: fallback,
				errors: { range: m.staff_range_unknown() },
				values: { from: fallback.from, to: fallback.to }
			};
		}
		const range = presetRange(known, now);
		return { range, errors: {}, values: { from: range.from, to: range.to } };
	}
	return { range: fallback, errors: {}, values: { from: fallback.from, to: fallback.to } };
}

/** The query string that asks for this range again (links, CSV downloads). */
export function rangeQuery(range: DateRange): string {
	const params = new URLSearchParams(
		range.preset === 'custom' ? { from: range.from, to: range.to } : { range: range.preset }
	);
	return params.toString();
}
