// What the chart components share: the data shape, the series' looks (colour plus a pattern or
// marker, so no series is told apart by colour alone) and a plain-text summary for screen readers.
import { formatNumber as formatLocaleNumber } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';

export interface ChartSeries {
	key: string;
	label: string;
}

/** One x position (a week, a month) and a value per series key; null = no data there. */
export interface ChartPoint {
	label: string;
	/** A shorter label for the x axis ("1 Jun" for "w/c 1 Jun"); the label by default. */
	axis?: string;
	values: Record<string, number | null>;
}

/** Fill patterns and line dashes by series position: the first is solid. */
export const PATTERNS = ['solid', 'hatch', 'dots', 'cross', 'vertical', 'grid'] as const;
export const DASHES = ['', '6 4', '2 3', '10 3 2 3', '14 4', '2 6'] as const;
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'down', 'plus'] as const;

/** Distinct looks (colour + pattern, dash, marker) before they repeat. */
export const STYLES = 6;

/** Every x label when they fit, otherwise every n-th (the table has them all). */
export function labelStep(count: number, room = 12): number {
	return Math.max(1, Math.ceil(count / room));
}

/** The x axis's text for a point. */
export function axisLabel(point: ChartPoint): string {
	return point.axis ?? point.label.replace(/^w\/c /, '');
}

export function formatNumber(value: number | null | undefined): string {
	return value === null || value === undefined
		? m.staff_chart_no_data()
		: formatLocaleNumber(value);
}

/**
 * "Contributors per week, 13 weeks from w/c 1 Sep to w/c 24 Nov. New: lowest 2 (…), highest 9
 * (…), latest 4." One sentence per series: what a sighted reader takes from the chart.
 */
export function describeChart(
	title: string,
	points: readonly ChartPoint[],
	series: readonly ChartSeries[],
	format: (value: number | null) => string = formatNumber
): string {
	if (points.length === 0) {
		return m.staff_chart_empty({ title });
	}
	const span = m.staff_chart_span({
		count: points.length,
		first: points[0]!.label,
		last: points[points.length - 1]!.label
	});
	const lines = series.map((s) => {
		const known = points
			.map((p) => ({ label: p.label, value: p.values[s.key] ?? null }))
			.filter((p): p is { label: string; value: number } => p.value !== null);
		if (known.length === 0) {
			return m.staff_chart_series_empty({ series: s.label });
		}
		const low = known.reduce((a, b) => (b.value < a.value ? b : a));
		const high = known.reduce((a, b) => (b.value > a.value ? b : a));
		const latest = known[known.length - 1]!;
		return m.staff_chart_series({
			series: s.label,
			low: format(low.value),
			lowLabel: low.label,
			high: format(high.value),
			highLabel: high.label,
			latest: format(latest.value),
			latestLabel: latest.label
		});
	});
	return [m.staff_chart_title({ title, span }), ...lines].join(' ');
}
