// Where each kind of post lives: the one place that maps a post to its page. Comments and
// replies are that page with `#comment-<id>`.
import { discussionPath } from './discussions';
import { ideaPath } from './ideas';
import { reviewPath } from './reviews';

export type PostKind = 'idea' | 'review' | 'discussion';

export function postPath(kind: PostKind | string, post: { id: number; title: string }): string {
	switch (kind) {
		case 'review':
			return reviewPath(post);
		case 'discussion':
			return discussionPath(post);
		default:
			return ideaPath(post);
	}
}
