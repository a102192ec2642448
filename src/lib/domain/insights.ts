// The insights dashboard's date range and its periods (weeks or months, UTC), and the small
// arithmetic its sections share. Pure: the server queries bucket rows by the same keys.
import { formatDateParts, formatNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';

export const RANGE_PRESETS = ['30d', '90d', '12m'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** A preset's name in the reader's language. */
export function presetLabel(preset: RangePreset): string {
	const labels: Record<RangePreset, () => string> = {
		'30d': m.staff_range_30d,
		'90d': m.staff_range_90d,
		'12m': m.staff_range_12m
	};
	return labels[preset]();
}

const PRESET_DAYS: Record<RangePreset, number> = { '30d': 30, '90d': 90, '12m': 365 };

export const DEFAULT_PRESET: RangePreset = '90d';

/** The longest custom range: the weekly roll-ups stay a few hundred rows. */
export const MAX_RANGE_DAYS = 3 * 366;

/** Ranges up to this many days are shown per week, longer ones per month. */
export const WEEKLY_UP_TO_DAYS = 120;

export type Granularity = 'week' | 'month';

export interface DateRange {
	/** First day, 'YYYY-MM-DD' (UTC), included. */
	from: string;
	/** Last day, 'YYYY-MM-DD' (UTC), included. */
	to: string;
	preset: RangePreset | 'custom';
}

export interface Period {
	/** The bucket's first day ('YYYY-MM-DD'): the key SQL's date_trunc gives. */
	key: string;
	/** The part of the bucket inside the range. */
	start: string;
	end: string;
	/** "w/c 1 Jun" / "Jun 2026" in the reader's language. */
	label: string;
	/** The label for a chart's x axis, without "w/c": "1 Jun" / "Jun 2026". */
	axis: string;
}

const DAY_MS = 86_400_000;

export function isoDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' as midnight UTC; undefined unless it is a real calendar day. */
export function parseDay(value: string): Date | undefined {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		return undefined;
	}
	const date = new Date(`${value}T00:00:00Z`);
	return Number.isNaN(date.getTime()) || isoDay(date) !== value ? undefined : date;
}

export function addDays(day: string, days: number): string {
	return isoDay(new Date(parseDay(day)!.getTime() + days * DAY_MS));
}

/** Days in the range, both ends included. */
export function rangeDays(range: Pick<DateRange, 'from' | 'to'>): number {
	return Math.round((parseDay(range.to)!.getTime() - parseDay(range.from)!.getTime()) / DAY_MS) + 1;
}

/** A preset ends today (UTC) and covers its number of days, today included. */
export function presetRange(preset: RangePreset, now = new Date()): DateRange {
	const to = isoDay(now);
	return { from: addDays(to, -(PRESET_DAYS[preset] - 1)), to, preset };
}

/** The instants the range covers: from midnight of its first day to midnight after its last. */
export function rangeBounds(range: Pick<DateRange, 'from' | 'to'>): { start: Date; end: Date } {
	return { start: parseDay(range.from)!, end: parseDay(addDays(range.to, 1))! };
}

export function granularityFor(range: Pick<DateRange, 'from' | 'to'>): Granularity {
	return rangeDays(range) <= WEEKLY_UP_TO_DAYS ? 'week' : 'month';
}

/** The Monday (UTC) of the day's week, as SQL's date_trunc('week', …) gives it. */
export function weekStart(day: string): string {
	const date = parseDay(day)!;
	const sinceMonday = (date.getUTCDay() + 6) % 7;
	return addDays(day, -sinceMonday);
}

export function monthStart(day: string): string {
	return `${day.slice(0, 7)}-01`;
}

function nextBucket(key: string, granularity: Granularity): string {
	if (granularity === 'week') {
		return addDays(key, 7);
	}
	const date = parseDay(key)!;
	return isoDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)));
}

/** A week's or month's labels ("w/c 1 Jun", "1 Jun"; "Jun 2026" twice), in the reader's language. */
function periodLabels(date: Date, granularity: Granularity): { label: string; axis: string } {
	if (granularity === 'week') {
		const parts = {
			day: formatDateParts(date, { day: 'numeric' }),
			month: formatDateParts(date, { month: 'short' })
		};
		return { label: m.staff_period_week(parts), axis: m.staff_period_week_axis(parts) };
	}
	const month = formatDateParts(date, { month: 'short', year: 'numeric' }).replace(/\s/g, ' ');
	return { label: month, axis: month };
}

/** Every week or month that overlaps the range, in order, with empty ones included. */
export function periodsOf(
	range: Pick<DateRange, 'from' | 'to'>,
	granularity: Granularity
): Period[] {
	const periods: Period[] = [];
	let key = granularity === 'week' ? weekStart(range.from) : monthStart(range.from);
	while (key <= range.to) {
		const following = nextBucket(key, granularity);
		const start = key < range.from ? range.from : key;
		const lastDay = addDays(following, -1);
		const end = lastDay > range.to ? range.to : lastDay;
		const date = parseDay(key)!;
		periods.push({ key, start, end, ...periodLabels(date, granularity) });
		key = following;
	}
	return periods;
}

/** Rows keyed by period, laid over every period (missing ones get `empty()`). */
export function fillPeriods<T>(
	periods: readonly Period[],
	rows: ReadonlyMap<string, T>,
	empty: () => T
): (T & { period: Period })[] {
	return periods.map((period) => ({ ...(rows.get(period.key) ?? empty()), period }));
}

/** A share in percent with one decimal; null when there is nothing to divide. */
export function percent(part: number, whole: number): number | null {
	return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** The median of some numbers (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
	if (values.length === 0) {
		return null;
	}
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Hours as "5 h", "2.5 d": how long staff took to answer. */
export function formatDuration(hours: number | null): string {
	if (hours === null) {
		return '—';
	}
	if (hours < 48) {
		return m.staff_duration_hours({ value: formatNumber(Math.round(hours * 10) / 10) });
	}
	return m.staff_duration_days({ value: formatNumber(Math.round((hours / 24) * 10) / 10) });
}

/**
 * A row of `topAdvocates` (src/lib/server/customers/advocacy.ts, built in parallel): only the
 * fields this dashboard shows, so that module's rows fit as they are.
 */
export interface AdvocateRow {
	userId: number;
	handle: string;
	displayName: string;
	company: { name: string; slug: string } | null;
	score: number;
	breakdown: readonly { label: string; count: number; points: number }[];
}
