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
import type { FieldErrors } from '../forms';

const day = (label: string) =>
	z
		.string({ error: `Enter the ${label} date.` })
		.trim()
		.min(1, `Enter the ${label} date.`)
		.refine((value) => parseDay(value) !== undefined, {
			message: `Enter the ${label} date as YYYY-MM-DD, e.g. 2026-01-31.`
		});

function customSchema(today: string) {
	const valid = (r: { from: string; to: string }) =>
		parseDay(r.from) !== undefined && parseDay(r.to) !== undefined;
	return z
		.object({ from: day('start'), to: day('end') })
		.refine((r) => !valid(r) || r.to <= today, {
			message: 'The end date cannot be in the future.',
			path: ['to']
		})
		.refine((r) => !valid(r) || r.from <= r.to, {
			message: 'The start date must be on or before the end date.',
			path: ['from']
		})
		.refine((r) => !valid(r) || r.from > r.to || rangeDays(r) <= MAX_RANGE_DAYS, {
			message: `Choose at most ${MAX_RANGE_DAYS} days.`,
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
				errors: { range: 'Choose 30 days, 90 days, 12 months or your own dates.' },
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
