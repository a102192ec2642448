// What the survey card shows; the server's SurveyCard (src/lib/server/surveys) has this shape.
export interface SurveyCardData {
	offerId: number;
	kind: 'nps' | 'csat';
	question: string;
	subject: { title: string; path: string } | null;
	min: number;
	max: number;
	lowLabel: string;
	highLabel: string;
}

/** What the member just did with a question, shown once in the card's place. */
export type SurveyThanks = 'answered' | 'dismissed';
