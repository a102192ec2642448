// Survey arithmetic shared by every page that shows NPS or CSAT (docs/metrics.md). Pure: the
// queries pick the answers (for NPS, each member's latest in the window), these turn them into
// the published figures.

export type NpsGroup = 'promoter' | 'passive' | 'detractor';

/** 9–10 promote, 7–8 are passive, 0–6 detract. */
export function npsGroup(score: number): NpsGroup {
	if (score >= 9) {
		return 'promoter';
	}
	if (score >= 7) {
		return 'passive';
	}
	return 'detractor';
}

export interface NpsSummary {
	/** % promoters − % detractors, rounded to one decimal; null when nobody answered. */
	nps: number | null;
	responses: number;
	promoters: number;
	passives: number;
	detractors: number;
}

/** NPS over one score per member (their latest answer in the window). */
export function npsOf(scores: readonly number[]): NpsSummary {
	let promoters = 0;
	let passives = 0;
	let detractors = 0;
	for (const score of scores) {
		const group = npsGroup(score);
		if (group === 'promoter') {
			promoters += 1;
		} else if (group === 'passive') {
			passives += 1;
		} else {
			detractors += 1;
		}
	}
	const responses = scores.length;
	const nps = responses === 0 ? null : round1(((promoters - detractors) / responses) * 100);
	return { nps, responses, promoters, passives, detractors };
}

export interface CsatSummary {
	/** % of answers that are 4 or 5, rounded to one decimal; null when nobody answered. */
	csat: number | null;
	responses: number;
	satisfied: number;
}

/** CSAT over every answer in the window (1–5). */
export function csatOf(scores: readonly number[]): CsatSummary {
	const satisfied = scores.filter((score) => score >= 4).length;
	const responses = scores.length;
	return {
		csat: responses === 0 ? null : round1((satisfied / responses) * 100),
		responses,
		satisfied
	};
}

function round1(value: number): number {
	return Math.round(value * 10) / 10;
}
